//! A small builder for queries whose shape depends on the caller (filters, scopes).
//!
//! sqlx's `QueryBuilder` writes `?` placeholders for the `Any` driver, which PostgreSQL refuses;
//! this one numbers them `$1, $2, …`, which both databases accept.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, FromRow};

#[derive(Debug, Clone)]
pub enum Param {
    Int(i64),
    Text(String),
    OptInt(Option<i64>),
    OptText(Option<String>),
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}
/// Typed ids bind as the integers they wrap.
macro_rules! id_params {
    ($($id:ty),*) => {$(
        impl From<$id> for Param {
            fn from(v: $id) -> Self {
                Param::Int(v.get())
            }
        }
    )*};
}
id_params!(
    shared::StudentId,
    shared::MeetingId,
    shared::GuardianId,
    shared::VisitId,
    shared::CampaignId,
    shared::UserId,
    shared::ClassId
);
impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(v)
    }
}
impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_string())
    }
}
impl From<Option<i64>> for Param {
    fn from(v: Option<i64>) -> Self {
        Param::OptInt(v)
    }
}
impl From<Option<String>> for Param {
    fn from(v: Option<String>) -> Self {
        Param::OptText(v)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    params: Vec<Param>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), params: Vec::new() }
    }

    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends the next placeholder and remembers its value.
    pub fn bind(&mut self, value: impl Into<Param>) -> &mut Sql {
        self.params.push(value.into());
        self.text.push_str(&format!("${}", self.params.len()));
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut query = sqlx::query(&self.text);
        for param in &self.params {
            query = match param {
                Param::Int(v) => query.bind(*v),
                Param::Text(v) => query.bind(v.clone()),
                Param::OptInt(v) => query.bind(*v),
                Param::OptText(v) => query.bind(v.clone()),
            };
        }
        query
    }

    pub async fn fetch_all<T>(&self, pool: &sqlx::AnyPool) -> sqlx::Result<Vec<T>>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let rows = self.query().fetch_all(pool).await?;
        rows.iter().map(T::from_row).collect()
    }

    pub async fn fetch_one<T>(&self, pool: &sqlx::AnyPool) -> sqlx::Result<T>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let row = self.query().fetch_one(pool).await?;
        T::from_row(&row)
    }

    pub async fn fetch_scalar(&self, pool: &sqlx::AnyPool) -> sqlx::Result<i64> {
        use sqlx::Row;
        let row = self.query().fetch_one(pool).await?;
        row.try_get(0)
    }
}

impl Sql {
    /// Appends another fragment, renumbering its placeholders after ours.
    pub fn push_sql(&mut self, other: &Sql) -> &mut Sql {
        let offset = self.params.len();
        let mut text = String::with_capacity(other.text.len());
        let mut chars = other.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                let n: usize = n.parse().unwrap_or(0);
                text.push_str(&format!("${}", n + offset));
            } else {
                text.push(c);
            }
        }
        self.text.push_str(&text);
        self.params.extend(other.params.iter().cloned());
        self
    }
}
