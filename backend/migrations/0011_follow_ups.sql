-- Follow-ups that finish (issue 15, item 4): added to a visit later, reassigned, closed with an
-- outcome and reopened, and referred to one of the school's service departments
-- (`shared::follow_ups::Department`: counselling, financial_aid, career), whose staff (role
-- `service_staff`, with `users.department`) see and close only what is referred to them.
-- The departments are a fixed list in the code rather than a table: see docs/architecture.md.

-- Set for service staff only.
ALTER TABLE users ADD COLUMN department TEXT;

-- The department a follow-up is referred to (its staff may close it), the outcome noted when it
-- was closed, who closed it and who added it (NULL for follow-ups stored before this migration).
ALTER TABLE follow_ups ADD COLUMN department TEXT;
ALTER TABLE follow_ups ADD COLUMN outcome TEXT;
ALTER TABLE follow_ups ADD COLUMN done_by BIGINT REFERENCES users(id);
ALTER TABLE follow_ups ADD COLUMN created_by BIGINT REFERENCES users(id);
CREATE INDEX follow_ups_department ON follow_ups (department, status, due_on);
CREATE INDEX follow_ups_due ON follow_ups (status, due_on);
