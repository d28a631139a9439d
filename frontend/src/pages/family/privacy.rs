//! The privacy notice (issue 19): who handles the family's information, what, why, how long and
//! whom to ask, in Chinese and English. Shown on first entry (until the parent closes it, and
//! again when its version changes) and reachable from the bar of every parent page. The school's
//! name and contact come from the settings admins edit (`GET /api/family/privacy`, once signed in).
//! Its text is versioned by `shared::privacy::NOTICE_VERSION`: change one, raise the other.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::privacy::{PrivacyNotice, NOTICE_VERSION};

use crate::api::family;
use crate::t;

/// The version of the notice this device has seen, in `localStorage`.
const SEEN: &str = "jf_notice_seen";

/// The notice's state on this page: open or not, and what the server said (signed in only).
#[derive(Clone, Copy)]
pub struct Privacy {
    pub open: RwSignal<bool>,
    pub notice: RwSignal<Option<PrivacyNotice>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Provides the state; the notice starts open unless this version was seen on this device.
pub fn provide() -> Privacy {
    let seen = storage().and_then(|s| s.get_item(SEEN).ok().flatten()).and_then(|v| v.parse::<i64>().ok());
    let privacy = Privacy { open: RwSignal::new(seen != Some(NOTICE_VERSION)), notice: RwSignal::new(None) };
    provide_context(privacy);
    privacy
}

pub fn use_privacy() -> Privacy {
    expect_context::<Privacy>()
}

/// Reads the school's details and the consent, once a family session is open.
pub fn load() {
    let privacy = use_privacy();
    // The page renders anew after every answer; the notice is read once.
    if privacy.notice.get_untracked().is_some() {
        return;
    }
    spawn_local(async move {
        if let Ok(notice) = family::privacy().await {
            privacy.notice.set(Some(notice));
        }
    });
}

/// The bar's link to the notice.
#[component]
pub fn PrivacyLink() -> impl IntoView {
    let privacy = use_privacy();
    view! {
        <button type="button" class="btn btn-ghost" data-testid="privacy-link" on:click=move |_| privacy.open.update(|o| *o = !*o)>
            {t!("隐私说明", "Privacy")}
        </button>
    }
}

/// The notice, when open; closing it remembers its version on this device.
#[component]
pub fn PrivacyNoticeCard() -> impl IntoView {
    let privacy = use_privacy();
    let close = move |_| {
        if let Some(s) = storage() {
            let _ = s.set_item(SEEN, &NOTICE_VERSION.to_string());
        }
        privacy.open.set(false);
    };
    let lang = crate::i18n::use_lang();
    // Until an admin has saved them (or before a session is open), general words stand in.
    let school = move || {
        let name = privacy.notice.get().map(|n| n.school_name).filter(|s| !s.is_empty());
        name.unwrap_or_else(|| lang.get().pick("本校", "the school").to_string())
    };
    let contact = move || {
        let contact = privacy.notice.get().map(|n| n.contact).filter(|s| !s.is_empty());
        contact.unwrap_or_else(|| lang.get().pick("班主任或辅导员", "the class advisor or counselor").to_string())
    };
    let consent = move || privacy.notice.get().and_then(|n| n.consent);
    let withdraw = move |_| {
        spawn_local(async move {
            if let Ok(notice) = family::withdraw_consent().await {
                privacy.notice.set(Some(notice));
            }
        });
    };
    view! {
        <Show when=move || privacy.open.get()>
            <section class="card family-card" data-testid="privacy-notice" aria-labelledby="privacy-title">
                <h2 id="privacy-title">{t!("个人信息保护说明", "How we handle your personal information")}</h2>
                <p>
                    {t!("处理者：", "Handled by: ")}
                    <strong data-testid="privacy-school">{school}</strong>
                </p>
                <p>{t!(
                    "我们收集：学生的姓名、学号、班级，家长的姓名和登记的手机号，您对家长会的答复、想交流的问题和评价，以及家访的记录。",
                    "What: the student's name, number and class; the guardian's name and phone on file; your answers, the concerns you raise and your feedback; the records of home visits."
                )}</p>
                <p>{t!(
                    "用途：组织家长会和家访、回应您提出的问题。只有负责该班级的辅导员、班主任、学院领导和学校管理员能看到；每次查看敏感信息都会被记录。",
                    "Why: to run parents' meetings and home visits and answer your concerns. Only the class's counselor and advisor, the college's leaders and the school's administrators can see them; every read of sensitive information is recorded."
                )}</p>
                <p>{t!(
                    "心理健康和家庭经济方面的问题属于敏感个人信息，需要您单独同意后才能提交；您可以随时撤回同意，撤回后工作人员将不再看到这些问题。",
                    "Concerns on mental health or family finances are sensitive personal information: you send them only after agreeing separately, and you may withdraw that consent at any time, after which staff no longer see them."
                )}</p>
                <p>{t!(
                    "保存期限：在家访活动结束后按学校规定的期限保存，到期删除或匿名化。",
                    "How long: kept for the period the school sets after the campaign ends, then deleted or anonymised."
                )}</p>
                <p>
                    {t!("查询、更正或删除您的信息，请联系：", "To see, correct or delete your information, contact: ")}
                    <span data-testid="privacy-contact">{contact}</span>
                </p>
                {move || consent().map(|_| view! {
                    <p data-testid="consent-given">
                        {t!("您已同意提交敏感问题。", "You have agreed to send sensitive concerns. ")}
                        <button type="button" class="btn btn-ghost" data-testid="consent-withdraw" on:click=withdraw>
                            {t!("撤回同意", "Withdraw consent")}
                        </button>
                    </p>
                })}
                <button type="button" class="btn btn-primary" data-testid="privacy-close" on:click=close>
                    {t!("我知道了", "Got it")}
                </button>
            </section>
        </Show>
    }
}
