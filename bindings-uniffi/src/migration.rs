//! The four steps of a number migration: a signing method on [`CamsClient`] for each
//! (`camskit::ops`), and each step's typed answer.

use camskit::ops;
use serde_json::Value;

use crate::convert::status_u16;
use crate::{CamsClient, CamsError, SignOptions, SignedRequest, guard};

/// `Data` of a [`CreateChatappMigrationInitiateResponse`] (core's `ops::MigrationInitiateData`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MigrationInitiateData {
    /// `Id`: the migration id.
    pub id: Option<String>,
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
    /// `Status`.
    pub status: Option<String>,
}

/// `Data` of a [`GetMigrationVerifyCodeResponse`] and a [`ChatappMigrationVerifiedResponse`]
/// (core's `ops::MigrationData`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MigrationData {
    /// `Id`: the migration id.
    pub id: Option<String>,
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
}

/// The answer to `CreateChatappMigrationInitiate` (core's `ops::CreateChatappMigrationInitiateResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CreateChatappMigrationInitiateResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data` (`data.id` is the migration id).
    pub data: Option<MigrationInitiateData>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

/// The answer to `GetMigrationVerifyCode` (core's `ops::GetMigrationVerifyCodeResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GetMigrationVerifyCodeResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data`.
    pub data: Option<MigrationData>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

/// The answer to `ChatappMigrationVerified` (core's `ops::ChatappMigrationVerifiedResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChatappMigrationVerifiedResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data`.
    pub data: Option<MigrationData>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

/// The answer to `ChatappMigrationRegister`: the envelope only (core's `ops::ChatappMigrationRegisterResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChatappMigrationRegisterResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

#[uniffi::export]
impl CamsClient {
    /// Step 1 of a number migration: `CreateChatappMigrationInitiate`.
    #[uniffi::method(default(options = None))]
    pub fn create_chatapp_migration_initiate(
        &self,
        cust_space_id: String,
        country_code: String,
        mobile_number: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::CreateChatappMigrationInitiate {
                cust_space_id,
                country_code,
                mobile_number,
            };
            self.sign_op(
                ops::CreateChatappMigrationInitiate::ACTION,
                op.to_params(),
                options,
            )
        })
    }

    /// Step 2: `GetMigrationVerifyCode` (sends the code by `method`, such as `SMS` or `VOICE`, in `locale`).
    #[uniffi::method(default(options = None))]
    pub fn get_migration_verify_code(
        &self,
        cust_space_id: String,
        phone_number: String,
        locale: String,
        method: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::GetMigrationVerifyCode {
                cust_space_id,
                phone_number,
                locale,
                method,
            };
            self.sign_op(ops::GetMigrationVerifyCode::ACTION, op.to_params(), options)
        })
    }

    /// Step 3: `ChatappMigrationVerified` with the code the phone received.
    #[uniffi::method(default(options = None))]
    pub fn chatapp_migration_verified(
        &self,
        cust_space_id: String,
        phone_number: String,
        verify_code: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::ChatappMigrationVerified {
                cust_space_id,
                phone_number,
                verify_code,
            };
            self.sign_op(
                ops::ChatappMigrationVerified::ACTION,
                op.to_params(),
                options,
            )
        })
    }

    /// Step 4: `ChatappMigrationRegister`.
    #[uniffi::method(default(options = None))]
    pub fn chatapp_migration_register(
        &self,
        cust_space_id: String,
        phone_number: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::ChatappMigrationRegister::new(cust_space_id, phone_number);
            self.sign_op(
                ops::ChatappMigrationRegister::ACTION,
                op.to_params(),
                options,
            )
        })
    }
}

fn raw_json(raw: serde_json::Map<String, Value>) -> String {
    Value::Object(raw).to_string()
}

/// Parses the answer to `CreateChatappMigrationInitiate` (`data.id` is the migration id).
#[uniffi::export]
pub fn parse_create_chatapp_migration_initiate_response(
    status: i32,
    body: Vec<u8>,
) -> Result<CreateChatappMigrationInitiateResponse, CamsError> {
    guard(|| {
        let r =
            ops::CreateChatappMigrationInitiateResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(CreateChatappMigrationInitiateResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            data: r.data.map(|d| MigrationInitiateData {
                id: d.id,
                phone_number: d.phone_number,
                status: d.status,
            }),
            raw_json: raw_json(r.raw),
        })
    })
}

fn migration_data(d: ops::MigrationData) -> MigrationData {
    MigrationData {
        id: d.id,
        phone_number: d.phone_number,
    }
}

/// Parses the answer to `GetMigrationVerifyCode`.
#[uniffi::export]
pub fn parse_get_migration_verify_code_response(
    status: i32,
    body: Vec<u8>,
) -> Result<GetMigrationVerifyCodeResponse, CamsError> {
    guard(|| {
        let r = ops::GetMigrationVerifyCodeResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(GetMigrationVerifyCodeResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            data: r.data.map(migration_data),
            raw_json: raw_json(r.raw),
        })
    })
}

/// Parses the answer to `ChatappMigrationVerified`.
#[uniffi::export]
pub fn parse_chatapp_migration_verified_response(
    status: i32,
    body: Vec<u8>,
) -> Result<ChatappMigrationVerifiedResponse, CamsError> {
    guard(|| {
        let r = ops::ChatappMigrationVerifiedResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(ChatappMigrationVerifiedResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            data: r.data.map(migration_data),
            raw_json: raw_json(r.raw),
        })
    })
}

/// Parses the answer to `ChatappMigrationRegister` (the envelope only).
#[uniffi::export]
pub fn parse_chatapp_migration_register_response(
    status: i32,
    body: Vec<u8>,
) -> Result<ChatappMigrationRegisterResponse, CamsError> {
    guard(|| {
        let r = ops::ChatappMigrationRegisterResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(ChatappMigrationRegisterResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            raw_json: raw_json(r.raw),
        })
    })
}
