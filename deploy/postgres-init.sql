-- The gateway's own database (kept records, outbox), beside HAPI's, on the compose PostgreSQL.
CREATE DATABASE oneplan OWNER hapi;
