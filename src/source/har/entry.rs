//! The parts of a HAR 1.2 entry that a message is rebuilt from, read leniently: browsers
//! and tools differ (Chrome leaves `postData.text` out of some uploads, Firefox writes
//! `content.size` -1, others add `comment` and `_private` fields), so every field has a
//! default and unknown fields are skipped.

use serde::{Deserialize, Deserializer};

/// One element of `log.entries`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Entry {
    #[serde(deserialize_with = "text_or_number")]
    pub started_date_time: Option<String>,
    pub request: Request,
    pub response: Option<Response>,
    pub timings: Option<Timings>,
    #[serde(rename = "serverIPAddress", deserialize_with = "text_or_number")]
    pub server_ip_address: Option<String>,
    /// An id (Chrome) or a port (Firefox): a string or a number.
    #[serde(deserialize_with = "text_or_number")]
    pub connection: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub comment: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Request {
    #[serde(deserialize_with = "text_or_number")]
    pub method: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub url: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub http_version: Option<String>,
    #[serde(deserialize_with = "list")]
    pub headers: Vec<Field>,
    pub post_data: Option<PostData>,
    pub body_size: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Response {
    /// A number, or a string of one (some tools).
    #[serde(deserialize_with = "text_or_number")]
    pub status: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub status_text: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub http_version: Option<String>,
    #[serde(deserialize_with = "list")]
    pub headers: Vec<Field>,
    pub content: Option<Content>,
    pub body_size: Option<f64>,
    /// Chrome's reason for a request that got no response (`net::ERR_...`).
    #[serde(rename = "_error", deserialize_with = "text_or_number")]
    pub error: Option<String>,
}

/// A header (or a form parameter): `name` and `value`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Field {
    #[serde(deserialize_with = "text_or_number")]
    pub name: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PostData {
    #[serde(deserialize_with = "text_or_number")]
    pub mime_type: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub text: Option<String>,
    #[serde(deserialize_with = "list")]
    pub params: Vec<Field>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Content {
    pub size: Option<f64>,
    #[serde(deserialize_with = "text_or_number")]
    pub text: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub encoding: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Timings {
    pub blocked: Option<f64>,
    pub dns: Option<f64>,
    pub connect: Option<f64>,
    pub ssl: Option<f64>,
    pub send: Option<f64>,
    pub wait: Option<f64>,
    pub receive: Option<f64>,
}

/// A string, or a number some tool wrote where the spec has a string; `null` is absent.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Text(String),
        Int(i64),
        Float(f64),
        Flag(bool),
    }
    Ok(match Option::<Loose>::deserialize(d)? {
        Some(Loose::Text(t)) => Some(t),
        Some(Loose::Int(n)) => Some(n.to_string()),
        Some(Loose::Float(n)) => Some(n.to_string()),
        Some(Loose::Flag(b)) => Some(b.to_string()),
        None => None,
    })
}

/// A list that some tools write as `null`.
fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Field>, D::Error> {
    Ok(Option::<Vec<Field>>::deserialize(d)?.unwrap_or_default())
}
