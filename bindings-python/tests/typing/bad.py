"""Mistakes the stubs must catch (each line is expected to fail `mypy --strict`)."""

import camskit

client = camskit.Client("id", "secret")
client.chatapp_migration_register(cust_space_id="cs")  # E1: missing phone_number
client.chatapp_migration_register(cust_space_id="cs", phone_number=8613800001234)  # E2: int, not str
client.chatapp_migration_registr(cust_space_id="cs", phone_number="86")  # E3: no such operation
client.sign("ChatappMigrationRegister", {"CustSpaceId": "cs"}, signature="v4")  # E4: not a signature version
n: int = camskit.parse_response(200, b"{}").request_id  # E5: str | None, not int
client.calls.chatapp_migration_register(cust_space_id="cs")  # E6: missing phone_number
x: camskit.ChatappMigrationVerifiedResponse = client.calls.chatapp_migration_register(cust_space_id="cs", phone_number="86")  # E7: another answer
client.call("ListChatappTemplate", {"CustSpaceId": "cs"}, retry=3)  # E8: not a RetryPolicy
