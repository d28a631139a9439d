//! After the answer, optionally: concerns for the meeting by topic; after the meeting, feedback.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{ConcernInput, FamilyPage, FeedbackInput, Topic};

use crate::api::family;
use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn Concerns(page: FamilyPage, set_page: Callback<FamilyPage>) -> impl IntoView {
    let lang = use_lang();
    let topic = RwSignal::new(Topic::Academic);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // Mental health and family finances: a separate consent first (PIPL art. 29), ticked here.
    let privacy = super::privacy::use_privacy();
    let agreed = RwSignal::new(false);
    let needs_consent =
        move || topic.get().is_sensitive() && privacy.notice.with(|n| n.as_ref().is_some_and(|n| n.consent.is_none()));
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = ConcernInput { topic: topic.get_untracked(), text: text.get_untracked() };
        let consent_first = needs_consent() && agreed.get_untracked();
        spawn_local(async move {
            if consent_first {
                match family::give_consent().await {
                    Ok(notice) => privacy.notice.set(Some(notice)),
                    Err(e) => return error.set(Some(e.message)),
                }
            }
            match family::add_concern(&body).await {
                Ok(page) => {
                    text.set(String::new());
                    set_page.run(page)
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let remove = move |id: i64| {
        spawn_local(async move {
            match family::remove_concern(id).await {
                Ok(page) => set_page.run(page),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="card family-card">
            <h2>{t!("想在会上交流的问题（可选）", "Anything to discuss at the meeting? (optional)")}</h2>
            <ul class="rows" data-testid="my-concerns">
                {page
                    .concerns
                    .into_iter()
                    .map(|c| {
                        // Addressed by a home visit: the answer back, and it stays (kept small: no
                        // new view types on this page).
                        view! {
                            <li>
                                <strong>{move || c.topic.label(lang.get())}</strong>
                                <span class="grow">{c.text.clone()}</span>
                                <small class="answer-status" data-testid="concern-addressed" hidden=!c.addressed>
                                    {t!("已在家访中沟通", "Discussed during the home visit")}
                                    {c.reply.clone().map(|r| format!("：{r}"))}
                                </small>
                                <button type="button" class="btn btn-ghost" hidden=c.addressed on:click=move |_| remove(c.id)>
                                    {t!("删除", "Remove")}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <form class="form" on:submit=add novalidate>
                <label for="topic">{t!("话题", "Topic")}</label>
                <select id="topic" data-testid="concern-topic"
                    on:change=move |ev| {
                        if let Some(t) = Topic::from_code(&event_target_value(&ev)) {
                            topic.set(t)
                        }
                    }>
                    {Topic::ALL
                        .map(|t| view! { <option value=t.code() selected=move || topic.get() == t>{move || t.label(lang.get())}</option> })
                        .collect_view()}
                </select>
                <Show when=needs_consent>
                    <div class="alert" data-testid="sensitive-consent">
                        <p>{t!(
                            "心理健康和家庭经济属于敏感个人信息。您提交的内容仅用于安排家长会和家访中的沟通与帮扶，只有本班辅导员、班主任、学院领导和学校管理员可以查看，每次查看都有记录。您可以在“隐私说明”中随时撤回同意，撤回后工作人员将不再看到这些问题。",
                            "Mental health and family finances are sensitive personal information. What you send is used only to prepare the conversation and support at the meeting and home visits; only the class's counselor and advisor, the college's leaders and the school's administrators can read it, and every read is recorded. You may withdraw your consent at any time under \"Privacy\", after which staff no longer see these concerns."
                        )}</p>
                        <label>
                            <input type="checkbox" data-testid="sensitive-consent-agree" prop:checked=agreed
                                on:change=move |ev| agreed.set(event_target_checked(&ev)) />
                            {t!("我已阅读并单独同意", "I have read this and agree separately")}
                        </label>
                    </div>
                </Show>
                <label for="concern-text">{t!("内容", "What would you like to discuss?")}</label>
                <textarea id="concern-text" data-testid="concern-text" rows="3" maxlength="1000" bind:value=text></textarea>
                <super::ErrorLine error />
                <button class="btn btn-primary" type="submit" data-testid="concern-add">{t!("提交问题", "Send")}</button>
            </form>
        </section>
    }
}

#[component]
pub fn Feedback(page: FamilyPage, set_page: Callback<FamilyPage>) -> impl IntoView {
    let given = page.feedback.clone();
    let rating = RwSignal::new(given.as_ref().map(|f| f.rating).unwrap_or(0));
    let suggestions = RwSignal::new(given.as_ref().map(|f| f.suggestions.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    // From the page: sending it renders the page anew, so a signal of this card alone would be lost.
    let done = RwSignal::new(given.is_some());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = FeedbackInput { rating: rating.get_untracked(), suggestions: suggestions.get_untracked() };
        spawn_local(async move {
            match family::feedback(&body).await {
                Ok(page) => {
                    done.set(true);
                    set_page.run(page)
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="card family-card">
            <h2 id="feedback-title">{t!("会后评价", "Feedback on the meeting")}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="stars" role="group" aria-labelledby="feedback-title">
                    {(1..=5)
                        .map(|n| {
                            view! {
                                <button type="button" class="answer-choice" class:selected=move || rating.get() == n
                                    aria-pressed=move || (rating.get() == n).to_string() data-testid=format!("rating-{n}")
                                    on:click=move |_| rating.set(n)>{n}</button>
                            }
                        })
                        .collect_view()}
                </div>
                <label for="suggestions">{t!("建议（可选）", "Suggestions (optional)")}</label>
                <textarea id="suggestions" rows="3" maxlength="2000" bind:value=suggestions></textarea>
                <super::ErrorLine error />
                <Show when=move || done.get()>
                    <p class="answer-status" role="status" data-testid="feedback-thanks">{t!("感谢您的反馈！", "Thank you for your feedback!")}</p>
                </Show>
                <button class="btn btn-primary" type="submit" data-testid="feedback-send">{t!("提交评价", "Send feedback")}</button>
            </form>
        </section>
    }
}

/// Whether the school may send this guardian messages (texts about meetings): off here is the
/// same as replying "TD"; on again from here too.
#[component]
pub fn Messages(page: FamilyPage, set_page: Callback<FamilyPage>) -> impl IntoView {
    let lang = use_lang();
    let off = page.messages_off;
    let error = RwSignal::new(None::<String>);
    let toggle = move |_| {
        spawn_local(async move {
            match family::opt_out(!off).await {
                Ok(page) => set_page.run(page),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="card family-card">
            <p data-testid="messages-state">
                {move || if off {
                    lang.get().pick("您已退订学校的短信通知。", "You have opted out of the school's text messages.")
                } else {
                    lang.get().pick("学校会通过短信发送家长会邀请和提醒。", "The school sends meeting invitations and reminders by text message.")
                }}
            </p>
            <button class="btn btn-ghost" data-testid="messages-toggle" on:click=toggle>
                {move || if off {
                    lang.get().pick("重新接收短信", "Receive texts again")
                } else {
                    lang.get().pick("退订短信", "Stop text messages")
                }}
            </button>
            <Show when=move || error.get().is_some()>
                <p class="alert" role="alert">{move || error.get()}</p>
            </Show>
        </section>
    }
}
