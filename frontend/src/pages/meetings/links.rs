//! The meeting's links (class link with its QR code, per-family links to copy or revoke); its
//! outbox of texts is in `outbox.rs`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{Links, Meeting};
use shared::MeetingId;

use super::share::Share;
use crate::api;
use crate::components::copy::copy_text;
use crate::t;

#[component]
pub fn LinksSection(meeting: Meeting) -> impl IntoView {
    let meeting_id: MeetingId = meeting.id;
    let links = RwSignal::new(None::<Links>);
    let error = RwSignal::new(None::<String>);
    let qr_version = RwSignal::new(0u32);
    spawn_local(async move {
        match api::meetings::links(meeting_id).await {
            Ok(l) => links.set(Some(l)),
            Err(e) => error.set(Some(e.message)),
        }
    });
    let issue = move |_| {
        spawn_local(async move {
            match api::meetings::issue_links(meeting_id).await {
                Ok(l) => {
                    links.set(Some(l));
                    qr_version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.message)),
            }
        })
    };
    let revoke = move |link_id: i64| {
        spawn_local(async move {
            match api::meetings::revoke_link(meeting_id, link_id).await {
                Ok(l) => {
                    links.set(Some(l));
                    qr_version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.message)),
            }
        })
    };
    view! {
        <h2>{t!("家长链接与二维码", "Family links and QR code")}</h2>
        <button class="btn btn-primary" data-testid="issue-links" on:click=issue>
            {t!("生成链接（为尚无链接的家庭）", "Make links (for families without one)")}
        </button>
        <Show when=move || error.get().is_some()>
            <p class="alert" role="alert">{move || error.get()}</p>
        </Show>
        {move || links.get().map(|l| {
            let class_link = l.class_link.clone().filter(|c| c.url.is_some());
            view! {
                {class_link.map(|c| {
                    let url = c.url.clone().unwrap_or_default();
                    let copy_url = url.clone();
                    let qr_src = Signal::derive(move || format!("{}?v={}", api::meetings::qr_url(meeting_id), qr_version.get()));
                    view! {
                        <section class="card class-link">
                            <img class="qr" alt="班级链接二维码 / class link QR code" width="220" height="220"
                                src=move || format!("{}?v={}", api::meetings::qr_url(meeting_id), qr_version.get()) />
                            <div>
                                <p>{t!("班级链接：家长输入学号（或学生姓名）和手机号后四位进入。", "Class link: parents enter the student number (or the student's name) and the last four digits of their phone.")}</p>
                                <input readonly value=url.clone() data-testid="class-link" aria-label="class link" />
                                <button class="btn" on:click=move |_| { copy_text(&copy_url); }>{t!("复制", "Copy")}</button>
                                <a class="btn" href=api::meetings::qr_url(meeting_id) download="qr.svg">{t!("下载二维码", "Download QR")}</a>
                                <button class="btn btn-ghost" on:click=move |_| revoke(c.id)>{t!("收回", "Revoke")}</button>
                            </div>
                            <Share meeting=meeting.clone() url=url.clone() qr_src />
                        </section>
                    }
                })}
                <ul class="rows" data-testid="family-links">
                    {l.families.into_iter().map(|f| {
                        let url = f.url.clone();
                        let label = format!("{} · {} {}", f.student_name.clone().unwrap_or_default(),
                            f.relation.clone().unwrap_or_default(), f.guardian_name.clone().unwrap_or_default());
                        view! {
                            <li class:revoked=f.revoked>
                                <span class="grow">{label}</span>
                                {match url {
                                    Some(url) => {
                                        let copy_url = url.clone();
                                        view! {
                                            <input readonly value=url class="link" aria-label="family link" />
                                            <button class="btn" on:click=move |_| { copy_text(&copy_url); }>{t!("复制", "Copy")}</button>
                                            <button class="btn btn-ghost" on:click=move |_| revoke(f.id)>{t!("收回", "Revoke")}</button>
                                        }.into_any()
                                    }
                                    None => view! { <span class="muted">{t!("已收回或过期", "Revoked or expired")}</span> }.into_any(),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })}
    }
}
