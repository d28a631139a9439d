//! The demo data set: a school of about 9,000 students in 252 classes across twelve colleges,
//! with homes across Liaoning's fourteen cities. Everything is generated from a fixed seed, so
//! every run produces the same school. Demo accounts share one published password: they are
//! for trying the product, never for real data.

mod activity;
mod teams;

use anyhow::Context;
use shared::Role;

use crate::db::{now, Db};
use crate::org::{self, NewClass, NewGuardian, NewStudent, NewUser};

pub use shared::demo::{DEMO_PASSWORD, DEMO_SIGN_INS, DEMO_TOTP_SECRET};

const COLLEGES: &[(&str, &[(&str, &str)])] = &[
    ("计算机与通信工程学院", &[("计算机科学与技术", "计算机"), ("通信工程", "通信"), ("软件工程", "软件")]),
    ("汽车与交通学院", &[("车辆工程", "车辆"), ("交通运输", "交运")]),
    ("机械工程学院", &[("机械设计制造及其自动化", "机械"), ("工业设计", "工设")]),
    ("电气工程学院", &[("电气工程及其自动化", "电气"), ("自动化", "自动化")]),
    ("材料科学与工程学院", &[("材料成型及控制工程", "材控"), ("金属材料工程", "金材")]),
    ("化学工程学院", &[("化学工程与工艺", "化工"), ("应用化学", "应化")]),
    ("土木建筑学院", &[("土木工程", "土木"), ("建筑学", "建筑")]),
    ("经济管理学院", &[("会计学", "会计"), ("市场营销", "营销"), ("工商管理", "工商")]),
    ("外国语学院", &[("英语", "英语"), ("日语", "日语")]),
    ("艺术设计学院", &[("视觉传达设计", "视传"), ("环境设计", "环设")]),
    ("理学院", &[("数学与应用数学", "数学"), ("应用物理学", "物理")]),
    ("信息科学与工程学院", &[("电子信息工程", "电信"), ("物联网工程", "物联")]),
];

/// Liaoning's fourteen prefecture-level cities and some of their districts and counties.
pub const CITIES: &[(&str, &[&str])] = &[
    (
        "沈阳市",
        &["和平区", "沈河区", "大东区", "皇姑区", "铁西区", "浑南区", "于洪区", "沈北新区", "苏家屯区", "新民市"],
    ),
    ("大连市", &["中山区", "西岗区", "沙河口区", "甘井子区", "旅顺口区", "金州区", "瓦房店市", "庄河市"]),
    ("鞍山市", &["铁东区", "铁西区", "立山区", "千山区", "海城市", "台安县"]),
    ("抚顺市", &["新抚区", "东洲区", "望花区", "顺城区", "抚顺县"]),
    ("本溪市", &["平山区", "溪湖区", "明山区", "南芬区", "本溪满族自治县"]),
    ("丹东市", &["元宝区", "振兴区", "振安区", "东港市", "凤城市"]),
    ("锦州市", &["古塔区", "凌河区", "太和区", "凌海市", "北镇市"]),
    ("营口市", &["站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市"]),
    ("阜新市", &["海州区", "新邱区", "太平区", "细河区", "彰武县"]),
    ("辽阳市", &["白塔区", "文圣区", "宏伟区", "太子河区", "灯塔市"]),
    ("盘锦市", &["双台子区", "兴隆台区", "大洼区", "盘山县"]),
    ("铁岭市", &["银州区", "清河区", "铁岭县", "开原市", "昌图县"]),
    ("朝阳市", &["双塔区", "龙城区", "北票市", "凌源市", "朝阳县"]),
    ("葫芦岛市", &["连山区", "龙港区", "南票区", "兴城市", "绥中县"]),
];

const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉浩宇轩然欣怡佳琪梓涵子墨雨泽思博文晨阳一诺可馨俊凯瑞雪婷嘉睿紫萱";

/// A small deterministic generator (SplitMix64), so the demo school is the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn person_name(rng: &mut Rng) -> String {
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut name = String::new();
    name.push(*rng.pick(&surnames));
    name.push(*rng.pick(&given));
    if rng.below(3) > 0 {
        name.push(*rng.pick(&given));
    }
    name
}

fn phone(rng: &mut Rng) -> String {
    let second = ["3", "5", "7", "8", "9"][rng.below(5)];
    format!("1{second}{:09}", rng.next_u64() % 1_000_000_000)
}

/// Whether the database already holds any account (then the demo is not loaded again).
pub async fn has_users(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&db.read).await?;
    Ok(n > 0)
}

/// Loads the demo school in one transaction; `key` is the server's, which seals the demo admin's
/// TOTP secret.
pub async fn load(db: &Db, key: &crate::secret::Secret) -> anyhow::Result<()> {
    if has_users(db).await? {
        anyhow::bail!("the database already has accounts; the demo data is only loaded into an empty database");
    }
    let hash = crate::auth::password::hash(DEMO_PASSWORD)?;
    let mut rng = Rng::new(2024_0115);
    let mut tx = db.write.begin().await?;
    let conn = &mut *tx;
    let staff = |username: String, display_name: String, role: Role, college_id: Option<i64>| NewUser {
        username,
        display_name,
        role,
        college_id,
        password_hash: Some(hash.clone()),
        active: true,
    };
    let admin = org::create_user(conn, &staff("admin".into(), "学工处 王老师".into(), Role::Admin, None)).await?;
    let secret = crate::auth::totp::Secret::from_base32(DEMO_TOTP_SECRET).context("the demo TOTP secret")?;
    crate::auth::second_factor::enable_with_secret(conn, key, admin.into(), &secret).await?;

    for (username, display_name) in shared::demo::DEMO_SCHOOL_LEADERS {
        org::create_user(conn, &staff(username.to_string(), display_name.to_string(), Role::SchoolLeader, None))
            .await?;
    }
    for (username, display_name, department) in shared::demo::DEMO_SERVICE_STAFF {
        let id =
            org::create_user(conn, &staff(username.to_string(), display_name.to_string(), Role::ServiceStaff, None))
                .await?;
        org::set_department(conn, id.into(), Some(*department)).await?;
    }

    let mut counselor_no = 0;
    let mut advisor_no = 0;
    let mut student_seq = 0u32;
    for (college_index, (college, majors)) in COLLEGES.iter().enumerate() {
        let college_id = org::ensure_college(conn, college).await?;
        let leader = format!("leader{:02}", college_index + 1);
        org::create_user(
            conn,
            &staff(leader, format!("{} {}", person_name(&mut rng), "院长"), Role::CollegeLeader, Some(college_id)),
        )
        .await?;
        // 21 classes per college: four entry years, five or six classes each.
        let mut counselor_id = 0;
        for class_index in 0..21usize {
            if class_index % 6 == 0 {
                counselor_no += 1;
                counselor_id = org::create_user(
                    conn,
                    &staff(
                        format!("counselor{counselor_no:02}"),
                        person_name(&mut rng),
                        Role::Counselor,
                        Some(college_id),
                    ),
                )
                .await?;
            }
            advisor_no += 1;
            let advisor_id = org::create_user(
                conn,
                &staff(format!("advisor{advisor_no:03}"), person_name(&mut rng), Role::ClassAdvisor, Some(college_id)),
            )
            .await?;
            let grade = 2021 + (class_index / 6).min(3) as i64;
            let (major, short) = majors[class_index % majors.len()];
            let name = format!("{short}{}{:02}", grade % 100, class_index / majors.len() + 1);
            let class_id = org::ensure_class(
                conn,
                &NewClass {
                    college_id,
                    name,
                    major: Some(major.into()),
                    grade: Some(grade),
                    counselor_id: Some(counselor_id),
                    advisor_id: Some(advisor_id),
                },
            )
            .await?;
            for _ in 0..(33 + rng.below(7)) {
                student_seq += 1;
                let (city, districts) = rng.pick(CITIES);
                let district = *rng.pick(districts);
                let gender = if rng.below(2) == 0 { "男" } else { "女" };
                let name = person_name(&mut rng);
                let surname: String = name.chars().take(1).collect();
                let hardship = match rng.below(20) {
                    0 => Some("severe"),
                    1 | 2 => Some("hardship"),
                    3..=5 => Some("moderate"),
                    _ => None,
                };
                let student = NewStudent {
                    student_no: format!("{grade}{:02}{student_seq:05}", college_index + 1),
                    name,
                    gender: Some(gender.into()),
                    class_id,
                    major: Some(major.into()),
                    grade: Some(grade),
                    province: Some("辽宁省".into()),
                    city: Some((*city).into()),
                    district: Some(district.into()),
                    address: Some(format!(
                        "{city}{district}{}路{}号",
                        ["人民", "建设", "解放", "中山", "友谊"][rng.below(5)],
                        1 + rng.below(300)
                    )),
                    hardship: hardship.map(Into::into),
                };
                let mut guardians = vec![NewGuardian {
                    name: format!("{surname}{}", person_name(&mut rng).chars().skip(1).collect::<String>()),
                    relation: Some("父亲".into()),
                    phone: Some(phone(&mut rng)),
                }];
                if rng.below(4) > 0 {
                    guardians.push(NewGuardian {
                        name: person_name(&mut rng),
                        relation: Some(if rng.below(10) == 0 { "祖母" } else { "母亲" }.into()),
                        phone: Some(phone(&mut rng)),
                    });
                }
                org::insert_student(conn, &student, &guardians).await?;
            }
        }
    }
    // The winter campaign keeps the seed's dates and figures; the current one is placed around
    // the day the demo is loaded, so a newcomer finds visits this week and meetings to come.
    let today = activity::today();
    let (current, starts, ends) = activity::current_campaign(today);
    for (name, starts, ends, status) in [
        ("2024年寒假家访".to_string(), "2024-01-15".to_string(), "2024-02-25".to_string(), "closed"),
        (current, starts, ends, "active"),
    ] {
        sqlx::query(
            "INSERT INTO campaigns (name, starts_on, ends_on, status, target_students, target_in_person_pct, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(name)
        .bind(starts)
        .bind(ends)
        .bind(status)
        .bind(2000i64)
        .bind(5i64)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    activity::load(&mut tx, today).await?;
    tx.commit().await.context("saving the demo data")?;
    Ok(())
}

/// A family's personal link (`/f#t=…`) to the soonest parents' meeting still open for answers,
/// for a family that has not answered yet: what `serve --demo` prints so a newcomer can answer
/// as a parent. `None` when the demo has no such meeting (it was loaded long ago).
pub async fn family_link(db: &Db, secret: &crate::secret::Secret) -> anyhow::Result<Option<String>> {
    let soonest: Option<(i64, i64)> = sqlx::query_as(
        "SELECT m.id, m.class_id FROM meetings m WHERE m.held_at IS NULL AND m.signup_deadline > $1 \
         ORDER BY m.starts_at, m.id LIMIT 1",
    )
    .bind(now())
    .fetch_optional(&db.read)
    .await?;
    let Some((meeting, class)) = soonest else { return Ok(None) };
    crate::meetings::links::issue(db, secret, meeting, class).await?;
    let nonce: Option<String> = sqlx::query_scalar(
        "SELECT l.nonce FROM meeting_links l JOIN guardians g ON g.id = l.guardian_id \
         WHERE l.meeting_id = $1 AND l.revoked_at IS NULL AND l.expires_at > $2 \
         AND NOT EXISTS (SELECT 1 FROM meeting_answers a WHERE a.meeting_id = l.meeting_id AND a.student_id = g.student_id) \
         ORDER BY l.id LIMIT 1",
    )
    .bind(meeting)
    .bind(now())
    .fetch_optional(&db.read)
    .await?;
    Ok(nonce.map(|n| format!("/f#t={}", crate::meetings::links::token_of(secret, &n))))
}
