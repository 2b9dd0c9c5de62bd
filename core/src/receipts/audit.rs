//! `ChatAppAudit`: template review results and, in its V2 form, phone number and WABA
//! notices.
//!
//! Docs: "ChatAppAudit" (HTTP push),
//! <https://alibabacloud.com/help/en/chatapp/developer-reference/chatappaudit-1>, and
//! "ChatAppAudit" (Simple Message Queue, formerly MNS),
//! <https://help.aliyun.com/zh/chatapp/developer-reference/chatappaudit>.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::Fields;
use crate::error::Error;

/// A template review report or (V2) an account notice (`ChatAppAudit`).
///
/// V1 has `WabaId`, `TemplateCode`, `Language`, `AuditStatus`, `Reason`. V2 ("used when an
/// ISV manages its customers' WABAs and phone numbers") adds `Type`, `PhoneNumber`,
/// `Status`, `CurrentLimit`; with `Type` = `template` its fields are V1's
/// (<https://help.aliyun.com/zh/chatapp/developer-reference/chatappaudit>). Serialized with
/// the docs' PascalCase keys; other fields are kept in [`extra`](ChatAppAudit::extra).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChatAppAudit {
    /// `WabaId` (String, required): the WhatsApp Business Account ID.
    pub waba_id: String,
    /// `TemplateCode` (String): the template's code (V1 required; absent in V2 phone/WABA
    /// notices).
    pub template_code: Option<String>,
    /// `Language` (String): the template's language (`en_US`).
    pub language: Option<String>,
    /// `AuditStatus` (String): the template's review status: `pass` (approved), `fail`
    /// (rejected), `auditing` (in review), `unaudit` (to be reviewed), `disabled`, `paused`.
    pub audit_status: Option<String>,
    /// `Reason` (String): why the template was rejected (when `AuditStatus` is `fail`).
    pub reason: Option<String>,
    /// `Type` (String, V2): the notice type: `template`, `phoneNameUpdate`,
    /// `phoneQualityUpdate`, `wabaReviewUpdate`, `wabaAccountUpdate`,
    /// `templateCategoryUpdate`, `templateQualityUpdate`.
    #[serde(rename = "Type")]
    pub notice_type: Option<String>,
    /// `PhoneNumber` (String, V2): the phone number, for `phoneNameUpdate`,
    /// `phoneQualityUpdate`, `wabaAccountUpdate`.
    pub phone_number: Option<String>,
    /// `Status` (String, V2): the new status; its values depend on `Type` (`APPROVED` for a
    /// phone name; `GREEN`, `YELLOW`, `RED`, `UNKNOWN` for a phone's quality; ...).
    pub status: Option<String>,
    /// `CurrentLimit` (String, V2): the phone number's sending limit.
    pub current_limit: Option<String>,
    /// Every other field, unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatAppAudit {
    pub(crate) fn from_fields(mut f: Fields) -> Result<Self, Error> {
        let waba_id = f.required_text("WabaId")?;
        let event = ChatAppAudit {
            waba_id,
            template_code: f.text("TemplateCode"),
            language: f.text("Language"),
            audit_status: f.text("AuditStatus"),
            reason: f.text("Reason"),
            notice_type: f.text("Type"),
            phone_number: f.text("PhoneNumber"),
            status: f.text("Status"),
            current_limit: f.text("CurrentLimit"),
            extra: Map::new(),
        };
        if event.audit_status.is_none() && event.notice_type.is_none() {
            return Err(Error::invalid(
                f.what.to_string(),
                "it has neither AuditStatus (V1) nor Type (V2)",
            ));
        }
        Ok(ChatAppAudit {
            extra: f.extra(),
            ..event
        })
    }

    /// The dedup key. The docs give a review report no ID of its own, so the key is what the
    /// report says: `ChatAppAudit/<Type or template>/<WabaId>/<TemplateCode>/<Language>/
    /// <AuditStatus>/<PhoneNumber>/<Status>/<CurrentLimit>` (absent parts empty). The same
    /// report twice is a repeat; a template reviewed `pass`, then `paused`, then `pass`
    /// again gives the first key twice, so keep this window short or compare with your
    /// store.
    pub fn dedup_key(&self) -> String {
        let part = |o: &Option<String>| o.clone().unwrap_or_default();
        format!(
            "ChatAppAudit/{}/{}/{}/{}/{}/{}/{}/{}",
            self.notice_type.as_deref().unwrap_or("template"),
            self.waba_id,
            part(&self.template_code),
            part(&self.language),
            part(&self.audit_status),
            part(&self.phone_number),
            part(&self.status),
            part(&self.current_limit),
        )
    }
}
