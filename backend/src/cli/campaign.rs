//! `jiafang campaign add --name … --starts … --ends … [--target-students N] [--hardship-in-person]` and `jiafang
//! campaign list`: the campaigns feature's own rules (dates, ends before starts, unique names),
//! their refusals printed in Chinese and English.

use std::io::Write;

use clap::Subcommand;
use shared::campaigns::CampaignInput;
use shared::Lang;

use crate::{campaigns, Db};

#[derive(Subcommand, Debug)]
pub enum CampaignCommand {
    /// Create a campaign (as a draft, as in the web app).
    Add {
        /// Unique, e.g. 2024年寒假家访.
        #[arg(long)]
        name: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        starts: String,
        /// Last day, YYYY-MM-DD, not before --starts.
        #[arg(long)]
        ends: String,
        /// Students to reach.
        #[arg(long)]
        target_students: Option<i64>,
        /// Turn on the rule "every student at hardship level 特别困难 is visited in person".
        #[arg(long)]
        hardship_in_person: bool,
    },
    /// Every campaign, the newest first: id, name, dates, status, target.
    List,
}

pub async fn run(database_url: &str, command: CampaignCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let result = match command {
        CampaignCommand::Add { name, starts, ends, target_students, hardship_in_person } => {
            let input = CampaignInput {
                name,
                starts_on: starts,
                ends_on: ends,
                target_students,
                target_in_person_pct: None,
                hardship_in_person,
            };
            match campaigns::create(&db, &input).await {
                Ok(c) => writeln!(
                    out,
                    "已创建活动（草稿）/ campaign created (draft): {} (id {}) {} – {}",
                    c.name, c.id, c.starts_on, c.ends_on
                )
                .map_err(Into::into),
                Err(e) => Err(super::explain(e)),
            }
        }
        CampaignCommand::List => match campaigns::list(&db).await {
            Ok(list) => {
                let mut result = Ok(());
                for c in list {
                    let target = c.target_students.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
                    let status = format!("{} / {}", c.status.label(Lang::Zh), c.status.code());
                    result = writeln!(out, "{}\t{}\t{}\t{}\t{status}\t{target}", c.id, c.name, c.starts_on, c.ends_on);
                    if result.is_err() {
                        break;
                    }
                }
                result.map_err(Into::into)
            }
            Err(e) => Err(super::explain(e)),
        },
    };
    db.close().await;
    result
}
