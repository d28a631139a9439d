//! On the users page, for admins: the school's name and the privacy contact that the parents'
//! privacy notice names (issue 19).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::privacy::PrivacySettings;

use crate::api;
use crate::t;

#[component]
pub fn PrivacySettingsForm() -> impl IntoView {
    let school_name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    spawn_local(async move {
        if let Ok(saved) = api::settings::privacy().await {
            school_name.set(saved.school_name);
            contact.set(saved.contact);
        }
    });
    let lang = crate::i18n::use_lang();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = PrivacySettings { school_name: school_name.get_untracked(), contact: contact.get_untracked() };
        spawn_local(async move {
            match api::settings::save_privacy(&body).await {
                Ok(saved) => {
                    school_name.set(saved.school_name);
                    contact.set(saved.contact);
                    message.set(Some((true, lang.get_untracked().pick("已保存", "Saved").to_string())));
                }
                Err(e) => message.set(Some((false, e.message))),
            }
        });
    };
    view! {
        <details class="card" data-testid="privacy-settings">
            <summary>{t!("家长隐私说明中的学校信息", "School details in the parents' privacy notice")}</summary>
            <form class="form" on:submit=save novalidate>
                <label for="privacy-school-name">{t!("学校名称（个人信息处理者）", "School (handler of personal information)")}</label>
                <input id="privacy-school-name" data-testid="privacy-school-name" maxlength="200" bind:value=school_name />
                <label for="privacy-contact-input">{t!("联系方式（查询、更正、删除）", "Contact (to see, correct or delete)")}</label>
                <input id="privacy-contact-input" data-testid="privacy-contact-input" maxlength="200" bind:value=contact />
                {move || message.get().map(|(ok, text)| view! {
                    <p class=if ok { "answer-status" } else { "alert" } role="status" data-testid="privacy-settings-message">{text}</p>
                })}
                <button class="btn btn-primary" type="submit" data-testid="privacy-settings-save">{t!("保存", "Save")}</button>
            </form>
        </details>
    }
}
