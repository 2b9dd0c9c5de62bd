//! Typed CAMS operations.

use crate::error::Error;
use crate::request::Request;
use crate::response::Response;

/// `ChatappMigrationRegister`: registers a phone number for migration.
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatappMigrationRegister {
    /// `CustSpaceId`: the space ID of the RAM user within the ISV account.
    pub cust_space_id: String,
    /// `PhoneNumber`: the phone number to register.
    pub phone_number: String,
}

impl ChatappMigrationRegister {
    /// The action name.
    pub const ACTION: &'static str = "ChatappMigrationRegister";

    /// The request with both required parameters.
    pub fn new(cust_space_id: impl Into<String>, phone_number: impl Into<String>) -> Self {
        Self {
            cust_space_id: cust_space_id.into(),
            phone_number: phone_number.into(),
        }
    }

    /// The unsigned request.
    ///
    /// # Errors
    /// [`Error::MissingParameter`] when `CustSpaceId` or `PhoneNumber` is empty.
    pub fn to_request(&self) -> Result<Request, Error> {
        for (name, value) in [
            ("CustSpaceId", &self.cust_space_id),
            ("PhoneNumber", &self.phone_number),
        ] {
            if value.is_empty() {
                return Err(Error::MissingParameter {
                    action: Self::ACTION.into(),
                    parameter: name.into(),
                });
            }
        }
        Ok(Request::new(Self::ACTION)
            .param("CustSpaceId", self.cust_space_id.as_str())
            .param("PhoneNumber", self.phone_number.as_str()))
    }
}

/// The answer to `ChatappMigrationRegister`: the envelope only.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatappMigrationRegisterResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// The whole body, with any field not modelled here.
    pub raw: serde_json::Map<String, serde_json::Value>,
}

impl From<Response> for ChatappMigrationRegisterResponse {
    fn from(r: Response) -> Self {
        Self {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            raw: r.body,
        }
    }
}
