-- Roster imports (issue 3): an upload is kept here between its preview and its confirmation,
-- so that any server instance can confirm it. The file is cleared once confirmed.

CREATE TABLE imports (
    id {{ID}},
    kind TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    filename TEXT NOT NULL,
    data {{BLOB}},
    sheet TEXT,
    created_at BIGINT NOT NULL,
    committed_at BIGINT
);
CREATE INDEX imports_created ON imports (created_at);
