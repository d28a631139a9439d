//! Bringing imported staff in: an admin makes a new activation link for every account of the
//! chosen college (or the school) not activated yet, in one action, and hands them out or
//! exports them as a CSV file. Messages are not sent from here: no channel is configured yet.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::users::CreatedAccount;

use crate::api;
use crate::components::copy::absolute;
use crate::i18n::use_lang;
use crate::t;

/// One CSV field, quoted where it has to be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The links as a CSV file Excel opens in Chinese (UTF-8 with a byte-order mark), as a `data:` URL.
fn csv_url(issued: &[CreatedAccount]) -> String {
    let mut csv = String::from("\u{feff}姓名 name,用户名 username,学院 college,激活链接 link\r\n");
    for a in issued {
        let row = [
            a.user.display_name.as_str(),
            a.user.username.as_str(),
            a.user.college_name.as_deref().unwrap_or(""),
            &absolute(&a.activation.link),
        ];
        csv.push_str(&row.map(csv_field).join(","));
        csv.push_str("\r\n");
    }
    format!("data:text/csv;charset=utf-8,{}", js_sys::encode_uri_component(&csv))
}

/// The button and, once pressed, the links. `college` is the users page's college filter (its
/// raw value: empty for the whole school).
#[component]
pub fn PendingLinks(college: RwSignal<String>, on_issued: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let issued = RwSignal::new(None::<Vec<CreatedAccount>>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let issue = move |_| {
        let question = lang.get_untracked().pick(
            "将为所选学院所有未激活的账号生成新的激活链接，之前发出的链接将失效。继续吗？",
            "New activation links for every account of the chosen college not activated yet; links sent before stop working. Go on?",
        );
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false);
        if !confirmed {
            return;
        }
        let college_id = college.get_untracked().parse::<i64>().ok();
        busy.set(true);
        spawn_local(async move {
            match api::users::activation_links(college_id).await {
                Ok(list) => {
                    error.set(None);
                    issued.set(Some(list));
                    on_issued.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="pending-links" data-testid="pending-links">
            <button class="btn" data-testid="pending-issue" disabled=move || busy.get() on:click=issue>
                {t!("为未激活的账号生成激活链接", "Activation links for accounts not yet activated")}
            </button>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || issued.get().map(|list| {
                let count = list.len();
                let href = csv_url(&list);
                view! {
                    <p class="muted" data-testid="pending-count">
                        {move || lang.get().pick("已生成链接：", "Links made: ")}{count}
                        {t!("。尚未配置短信或邮件发送，请导出后私下发给本人。",
                            ". No text or email channel is configured: export them and pass each on privately.")}
                    </p>
                    <a class="btn" href=href download="jiafang-activation-links.csv" data-testid="pending-csv">
                        {t!("导出 CSV", "Export CSV")}
                    </a>
                    <table class="list" data-testid="pending-list">
                        <thead>
                            <tr>
                                <th>{t!("姓名", "Name")}</th>
                                <th>{t!("用户名", "Username")}</th>
                                <th>{t!("激活链接", "Activation link")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|a| view! {
                                <tr>
                                    <td>{a.user.display_name}</td>
                                    <td>{a.user.username}</td>
                                    <td><input class="activation-link" readonly value=absolute(&a.activation.link) /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </section>
    }
}
