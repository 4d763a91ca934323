-- requested_by and decision_comment are stored encrypted (enc:v1:<keyId>:<base64 of iv, ciphertext and tag>): base64
-- of up to 4 UTF-8 bytes per character of a 254-character requester or a 2000-character comment, and the prefix
ALTER TABLE approval ALTER COLUMN requested_by SET DATA TYPE VARCHAR(2048);
ALTER TABLE approval ALTER COLUMN decision_comment SET DATA TYPE VARCHAR(12000);
