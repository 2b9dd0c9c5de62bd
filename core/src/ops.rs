//! Typed requests for the phone-number migration workflow:
//! [`CreateChatappMigrationInitiate`] → [`GetMigrationVerifyCode`] →
//! [`ChatappMigrationVerified`] → [`ChatappMigrationRegister`].
//!
//! Requests are checked against the [catalog](crate::catalog) like any other operation. Their
//! answers are typed like every other operation's, by the generated `camskit-answers` crate
//! (`answer::<ops::ChatappMigrationRegister>(&response)`): one answer system for all 173.

use serde_json::{Map, Value};

use crate::catalog;
use crate::error::Error;
use crate::request::Request;

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
}
