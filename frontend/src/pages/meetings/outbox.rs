//! The meeting's outbox: each text with its delivery status (queued, sent, failed with the
//! channel's reason and the attempts, …). What the page offers depends on the channels the
//! operator configured: with an SMS gateway the worker sends and staff may retry failed texts
//! now; without one the page says plainly that nothing is sent, and staff export the texts,
//! send them with the school's own tool and mark them sent.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{format_local, ChannelsInfo, DeliveryStatus, OutboxMessage};
use shared::MeetingId;

use crate::api;
use crate::i18n::use_lang;
use crate::t;

/// What the outbox's buttons ask for.
#[derive(Clone, Copy)]
enum Outbox {
    Show,
    Remind,
    Send,
}

#[component]
pub fn OutboxSection(meeting_id: MeetingId) -> impl IntoView {
    let lang = use_lang();
    let messages = RwSignal::new(Vec::<OutboxMessage>::new());
    let shown = RwSignal::new(false);
    let channels = LocalResource::new(|| async { api::meetings::channels().await.unwrap_or_default() });
    let sms = move || channels.get().and_then(|c: ChannelsInfo| c.sms).is_some();
    let call = move |what: Outbox| {
        spawn_local(async move {
            let answer = match what {
                Outbox::Show => api::meetings::messages(meeting_id).await,
                Outbox::Remind => api::meetings::queue_reminders(meeting_id).await,
                Outbox::Send => api::meetings::send_messages(meeting_id).await,
            };
            if let Ok(list) = answer {
                messages.set(list);
                shown.set(true);
            }
        })
    };
    view! {
        <h2>{t!("待发消息", "Outbox")}</h2>
        <Show when=move || channels.get().is_some() && !sms()>
            <p class="muted" data-testid="no-channel">
                {t!(
                    "未配置短信通道：消息不会自动发送。请导出 Excel，用学校的短信或微信工具发送后标记为已发送。",
                    "No SMS channel is configured: messages are not sent. Export them, send them with the school's own SMS or WeChat tool, then mark them sent."
                )}
            </p>
        </Show>
        <div class="meeting-actions">
            <button class="btn" data-testid="outbox-show" on:click=move |_| call(Outbox::Show)>{t!("查看", "Show")}</button>
            <button class="btn" on:click=move |_| call(Outbox::Remind)>{t!("生成会前提醒", "Queue reminders")}</button>
            <button class="btn" data-testid="outbox-send" on:click=move |_| call(Outbox::Send)>
                {move || if sms() {
                    lang.get().pick("立即重试失败的消息", "Retry failed messages now")
                } else {
                    lang.get().pick("标记为已发送", "Mark as sent")
                }}
            </button>
            <a class="btn" href=api::meetings::messages_export_url(meeting_id) download="outbox.xlsx">{t!("导出 Excel", "Export xlsx")}</a>
        </div>
        <Show when=move || shown.get()>
            <ul class="rows" data-testid="outbox">
                {move || messages.get().into_iter().map(|m| {
                    let failed = matches!(m.status, DeliveryStatus::Failed | DeliveryStatus::GaveUp);
                    let detail = delivery_detail(&m);
                    view! {
                        <li data-status=m.status.code()>
                            <strong>{move || m.kind.label(lang.get())}</strong>
                            <span>{m.guardian_name.clone()}</span>
                            <span class="grow muted">{m.text.clone()}</span>
                            <span class:error=failed>{move || m.status.label(lang.get())}</span>
                            <span class="muted">{move || detail(lang.get())}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}

/// Attempts, the last try's time and reason, and the next try's time.
fn delivery_detail(m: &OutboxMessage) -> impl Fn(shared::Lang) -> String + 'static {
    let (attempts, last, next, error) = (m.attempts, m.last_attempt_at, m.next_attempt_at, m.last_error.clone());
    move |lang| {
        let mut parts = Vec::new();
        if attempts > 0 {
            parts.push(format!("{}{attempts}", lang.pick("尝试次数：", "attempts: ")));
        }
        if let Some(at) = last {
            parts.push(format!("{}{}", lang.pick("最近：", "last: "), format_local(at, lang)));
        }
        if let Some(reason) = &error {
            parts.push(format!("{}{reason}", lang.pick("原因：", "reason: ")));
        }
        if let Some(at) = next {
            parts.push(format!("{}{}", lang.pick("下次重试：", "next try: "), format_local(at, lang)));
        }
        parts.join(" · ")
    }
}
