//! The four steps of a number migration: a signing method on [`CamsClient`] for each, from
//! core's request values (`camskit::ops`). Each step's answer is a generated typed answer
//! (`answers.rs`: `parseCreateChatappMigrationInitiateResponse` → `CreateChatappMigrationInitiateAnswer`, ...).

use camskit::ops;

use crate::{CamsClient, CamsError, SignOptions, SignedRequest, guard};

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
