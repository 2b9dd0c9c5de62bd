//! Typed requests and responses for the phone-number migration workflow:
//! [`CreateChatappMigrationInitiate`] → [`GetMigrationVerifyCode`] →
//! [`ChatappMigrationVerified`] → [`ChatappMigrationRegister`].
//!
//! Requests are checked against the [catalog](crate::catalog) like any other operation;
//! responses carry every field of the official response models, typed, plus the whole body in
//! `raw` (unknown fields are kept, not dropped). Every other operation goes through
//! [`Signer::sign_action`](crate::Signer::sign_action) and [`Response`] with its raw `Data`.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog;
use crate::error::{Error, ParseError};
use crate::request::Request;
use crate::response::Response;

macro_rules! typed_request {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident => $api:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Default)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: String,)+
        }

        impl $name {
            /// The action name.
            pub const ACTION: &'static str = stringify!($name);

            /// The parameters by API name.
            pub fn to_params(&self) -> Map<String, Value> {
                let mut m = Map::new();
                $(m.insert($api.to_owned(), Value::String(self.$field.clone()));)+
                m
            }

            /// The unsigned request, checked against the catalog.
            ///
            /// # Errors
            /// [`Error::MissingParameter`] when a required field is empty.
            pub fn to_request(&self) -> Result<Request, Error> {
                catalog::request(Self::ACTION, &self.to_params())
            }
        }
    };
}

typed_request! {
    /// `CreateChatappMigrationInitiate`: starts migrating a phone number to the ISV's space.
    CreateChatappMigrationInitiate {
        /// `CustSpaceId`: the space ID of the ISV sub-customer.
        cust_space_id => "CustSpaceId",
        /// `CountryCode`: the country code of the number (such as `86`).
        country_code => "CountryCode",
        /// `MobileNumber`: the number without the country code.
        mobile_number => "MobileNumber",
    }
}

typed_request! {
    /// `GetMigrationVerifyCode`: asks WhatsApp to send the verification code.
    GetMigrationVerifyCode {
        /// `CustSpaceId`.
        cust_space_id => "CustSpaceId",
        /// `PhoneNumber`: country code and number.
        phone_number => "PhoneNumber",
        /// `Locale`: the language of the message (such as `en_US`).
        locale => "Locale",
        /// `Method`: how the code is sent (`sms` or `voice`).
        method => "Method",
    }
}

typed_request! {
    /// `ChatappMigrationVerified`: submits the verification code.
    ChatappMigrationVerified {
        /// `CustSpaceId`.
        cust_space_id => "CustSpaceId",
        /// `PhoneNumber`.
        phone_number => "PhoneNumber",
        /// `VerifyCode`: the code received.
        verify_code => "VerifyCode",
    }
}

typed_request! {
    /// `ChatappMigrationRegister`: registers the migrated phone number.
    ///
    /// ```
    /// use camskit::ops::ChatappMigrationRegister;
    /// let req = ChatappMigrationRegister::new("29348393884", "8613800001234").to_request()?;
    /// assert_eq!(req.query_params()[0], ("CustSpaceId".to_string(), "29348393884".to_string()));
    ///
    /// let err = ChatappMigrationRegister::new("", "8613800001234").to_request().unwrap_err();
    /// assert_eq!(err.to_string(), "ChatappMigrationRegister: missing required parameter CustSpaceId");
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ChatappMigrationRegister {
        /// `CustSpaceId`: the space ID of the RAM user within the ISV account.
        cust_space_id => "CustSpaceId",
        /// `PhoneNumber`: the phone number to register.
        phone_number => "PhoneNumber",
    }
}

impl ChatappMigrationRegister {
    /// The request with both required parameters.
    pub fn new(cust_space_id: impl Into<String>, phone_number: impl Into<String>) -> Self {
        Self {
            cust_space_id: cust_space_id.into(),
            phone_number: phone_number.into(),
        }
    }
}

/// `Data` of [`CreateChatappMigrationInitiateResponse`].
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct MigrationInitiateData {
    /// `Id`: the migration ID.
    pub id: Option<String>,
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
    /// `Status`.
    pub status: Option<String>,
}

/// `Data` of [`GetMigrationVerifyCodeResponse`] and [`ChatappMigrationVerifiedResponse`].
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct MigrationData {
    /// `Id`: the migration ID.
    pub id: Option<String>,
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
}

macro_rules! typed_response {
    ($(#[$doc:meta])* $name:ident $(, $data:ident { $($field:ident => $api:literal),+ })?) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Serialize)]
        pub struct $name {
            /// `RequestId`.
            pub request_id: Option<String>,
            /// `Code` (`OK`).
            pub code: String,
            /// `Message`.
            pub message: Option<String>,
            /// `AccessDeniedDetail`.
            pub access_denied_detail: Option<String>,
            $(
            /// `Data`.
            pub data: Option<$data>,
            )?
            /// The whole body, with any field not modelled here.
            pub raw: Map<String, Value>,
        }

        impl TryFrom<Response> for $name {
            type Error = Error;

            fn try_from(r: Response) -> Result<Self, Error> {
                $(
                let data = match r.body.get("Data") {
                    None | Some(Value::Null) => None,
                    Some(Value::Object(d)) => Some($data {
                        $($field: field(r.status, d, $api)?,)+
                    }),
                    Some(other) => return Err(shape(r.status, format!("Data is {}, not an object", kind(other)))),
                };
                )?
                Ok(Self {
                    request_id: r.request_id,
                    code: r.code,
                    message: r.message,
                    access_denied_detail: r.access_denied_detail,
                    $(data: { let d: Option<$data> = data; d },)?
                    raw: r.body,
                })
            }
        }

        impl $name {
            /// Parses an answer into this response (see [`parse_response`](crate::parse_response)).
            ///
            /// # Errors
            /// As [`parse_response`](crate::parse_response), and [`Error::Parse`] when a
            /// modelled field has the wrong JSON type.
            pub fn parse(status: u16, body: &[u8]) -> Result<Self, Error> {
                crate::parse_response(status, body)?.try_into()
            }
        }
    };
}

typed_response! {
    /// The answer to `CreateChatappMigrationInitiate`.
    CreateChatappMigrationInitiateResponse, MigrationInitiateData { id => "Id", phone_number => "PhoneNumber", status => "Status" }
}
typed_response! {
    /// The answer to `GetMigrationVerifyCode`.
    GetMigrationVerifyCodeResponse, MigrationData { id => "Id", phone_number => "PhoneNumber" }
}
typed_response! {
    /// The answer to `ChatappMigrationVerified`.
    ChatappMigrationVerifiedResponse, MigrationData { id => "Id", phone_number => "PhoneNumber" }
}
typed_response! {
    /// The answer to `ChatappMigrationRegister`: the envelope only.
    ///
    /// ```
    /// use camskit::ops::ChatappMigrationRegisterResponse;
    /// let ok = ChatappMigrationRegisterResponse::parse(200, br#"{"RequestId":"r","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None","Extra":1}"#)?;
    /// assert_eq!(ok.message.as_deref(), Some("SUCCESS"));
    /// assert!(ok.raw.contains_key("Extra"));
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ChatappMigrationRegisterResponse
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn shape(status: u16, reason: String) -> Error {
    Error::Parse(ParseError {
        status,
        reason,
        snippet: String::new(),
    })
}

/// A text field of `Data`: strings as they are, numbers as their exact text.
fn field(status: u16, data: &Map<String, Value>, name: &str) -> Result<Option<String>, Error> {
    match data.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(shape(
            status,
            format!("Data.{name} is {}, not text", kind(other)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_requests_use_the_catalog() {
        let r = CreateChatappMigrationInitiate {
            cust_space_id: "cs".into(),
            country_code: "86".into(),
            mobile_number: "13800001234".into(),
        }
        .to_request()
        .unwrap();
        assert_eq!(r.action(), "CreateChatappMigrationInitiate");
        assert_eq!(r.query_params().len(), 3);
        let e = GetMigrationVerifyCode {
            cust_space_id: "cs".into(),
            phone_number: "8613800001234".into(),
            locale: "en_US".into(),
            method: String::new(),
        }
        .to_request()
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "GetMigrationVerifyCode: missing required parameter Method"
        );
    }

    #[test]
    fn typed_responses_keep_unknown_fields_and_check_types() {
        let body = br#"{"RequestId":"r","Code":"OK","Data":{"Id":"m-1","PhoneNumber":"86138","Status":"pending","New":true},"Next":1}"#;
        let ok = CreateChatappMigrationInitiateResponse::parse(200, body).unwrap();
        let data = ok.data.unwrap();
        assert_eq!(data.id.as_deref(), Some("m-1"));
        assert_eq!(data.status.as_deref(), Some("pending"));
        assert!(ok.raw.contains_key("Next"));
        assert_eq!(ok.raw["Data"]["New"], true);
        let bad = br#"{"Code":"OK","Data":{"Id":["x"]}}"#;
        let e = GetMigrationVerifyCodeResponse::parse(200, bad).unwrap_err();
        assert!(e.to_string().contains("Data.Id is an array"), "{e}");
        let e = ChatappMigrationVerifiedResponse::parse(
            400,
            br#"{"Code":"Ram.PermissionDeny","Message":"m"}"#,
        )
        .unwrap_err();
        assert_eq!(e.as_api().unwrap().kind, crate::ErrorKind::Permission);
    }
}
