-- The team server, version 1: what reps share (accounts, facts and notes, the sent log, who owns an account,
-- the do-not-contact list), who may write what (row-level security), and the change feed clients pull.
-- Applied by app/team/server.py migrate() as the admin, in one transaction, after it made schema `earned`
-- and earned.schema_version.
--
-- Who is who:
--   earned_rep    NOLOGIN group: every rep's login role is a member (server.add_rep). Reps read everything,
--                 write only rows signed with their own role, and delete nothing (tombstones instead).
--   earned_admin  NOLOGIN group: the admin who ran this. A superuser ignores row-level security anyway; a
--                 managed server's admin (not a superuser, but the owner of these tables) would be shut out
--                 by FORCE ROW LEVEL SECURITY without its own policy.
-- Roles belong to the whole cluster, not one database: create them only when no other database did.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'earned_rep') THEN
        CREATE ROLE earned_rep NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'earned_admin') THEN
        CREATE ROLE earned_admin NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role(current_user, 'earned_admin', 'MEMBER') THEN
        EXECUTE pg_catalog.format('GRANT earned_admin TO %I', current_user);
    END IF;
END $$;

REVOKE ALL ON SCHEMA earned FROM PUBLIC;
GRANT USAGE ON SCHEMA earned TO earned_rep, earned_admin;
-- A client checks it knows the server's version before it syncs.
GRANT SELECT ON earned.schema_version TO earned_rep;

-- ---------------------------------------------------------------------------------------------------------
-- The change feed. Every shared row carries the id of the transaction that last wrote it (xid8: 64 bits,
-- never wraps) and a change_id from one sequence; a client keeps a cursor (xid, change_id) per table and
-- asks for the rows after it, in that order (server.changes() explains why it only reads rows whose
-- transaction is older than every transaction still running). A trigger stamps both on INSERT and UPDATE,
-- whatever the client sent: a row stamped with an old or a made-up xid would be skipped or block the feed.
-- ---------------------------------------------------------------------------------------------------------
CREATE SEQUENCE earned.change_seq;

CREATE FUNCTION earned.stamp_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- An UPDATE that changes nothing (a tombstone set again by a retried sync) is no change to pull.
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    NEW.xid := pg_current_xact_id();
    NEW.change_id := nextval('earned.change_seq');
    RETURN NEW;
END $$;

-- ---------------------------------------------------------------------------------------------------------
-- Last writer wins, per field. versions maps a field to {"at": ISO time in UTC, "by": role} of the value it
-- holds. An edit wins when (at, by, value) is greater than the stored one (times first; on the same instant
-- the greater role name, then the greater value, compared as bytes (COLLATE "C") so a client can decide the
-- same way in Python). The fields each table versions:
-- ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION earned.lww_fields(p_table text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_table
        WHEN 'accounts' THEN ARRAY['company', 'website', 'contact_name', 'role', 'email', 'status', 'status_reason']
        WHEN 'facts' THEN ARRAY['text']
    END
$$;

CREATE FUNCTION earned.version_stamp(p_at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('at', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                              'by', current_user::text)
$$;

-- Whether an edit (p_at, current_user, p_value) beats the stored (version, value).
CREATE FUNCTION earned.lww_wins(p_at timestamptz, p_value text, p_version jsonb, p_current text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_at timestamptz := (p_version ->> 'at')::timestamptz;
    v_by text := p_version ->> 'by';
    me text := current_user;
BEGIN
    IF p_version IS NULL THEN
        RETURN true;
    END IF;
    RETURN p_at > v_at
        OR (p_at = v_at AND (me COLLATE "C" > v_by COLLATE "C"
            OR (me = v_by AND p_value COLLATE "C" > coalesce(p_current, '') COLLATE "C")));
END $$;

-- An edit's time comes from the rep's computer. One set far ahead (a wrong clock) would win every conflict
-- for years, silently: refuse it instead, and the rep sees the sync fail with the reason.
CREATE FUNCTION earned.check_edit_time(p_at timestamptz) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_at IS NULL OR NOT isfinite(p_at) THEN
        RAISE EXCEPTION 'an edit needs the time it was made' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_at > now() + interval '15 minutes' THEN
        RAISE EXCEPTION 'this edit is dated % (server time %): check this computer''s clock', p_at, now()
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- Keeps versions honest, whoever writes (a function below or a client's own UPDATE): only versioned fields,
-- a changed version is signed by the role writing it, and a changed value comes with its new version. So the
-- history (record_overwritten) always knows who wrote what, and no rep can pass an edit off as another's.
CREATE FUNCTION earned.check_versions() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    fields text[] := earned.lww_fields(TG_TABLE_NAME);
    new_row jsonb := to_jsonb(NEW);
    old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    field text;
    new_version jsonb;
BEGIN
    FOR field IN SELECT jsonb_object_keys(NEW.versions) LOOP
        IF field <> ALL (fields) THEN
            RAISE EXCEPTION '% has no versioned field "%"', TG_TABLE_NAME, field USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    FOREACH field IN ARRAY fields LOOP
        new_version := NEW.versions -> field;
        IF new_version IS DISTINCT FROM old_row -> 'versions' -> field THEN
            IF new_version ->> 'by' IS DISTINCT FROM current_user::text
                    OR (new_version ->> 'at')::timestamptz IS NULL THEN
                RAISE EXCEPTION 'the version of %.% must be signed {"at": ..., "by": "%"}', TG_TABLE_NAME, field,
                    current_user USING ERRCODE = 'insufficient_privilege';
            END IF;
        ELSIF TG_OP = 'UPDATE' AND new_row -> field IS DISTINCT FROM old_row -> field THEN
            RAISE EXCEPTION 'changing %.% needs its new version too (set_account_field, set_fact_text)',
                TG_TABLE_NAME, field USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END $$;

-- ---------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE earned.reps (
    role         text PRIMARY KEY DEFAULT current_user,
    display_name text NOT NULL,
    joined_at    timestamptz NOT NULL DEFAULT now(),
    -- In the feed too, so a client learns a new teammate's name the way it learns everything else.
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id    bigint NOT NULL DEFAULT nextval('earned.change_seq')
);

CREATE TABLE earned.accounts (
    gid           uuid PRIMARY KEY,
    company       text NOT NULL,
    website       text NOT NULL DEFAULT '',
    domain_key    text NOT NULL DEFAULT '',
    name_key      text NOT NULL CHECK (name_key <> ''),
    contact_name  text NOT NULL DEFAULT '',
    role          text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'new',
    status_reason text NOT NULL DEFAULT '',
    versions      jsonb NOT NULL DEFAULT '{}',  -- field -> {"at": ISO time (UTC), "by": role}
    created_by    text NOT NULL DEFAULT current_user,
    created_at    timestamptz NOT NULL DEFAULT now(),
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id     bigint NOT NULL DEFAULT nextval('earned.change_seq')
);
-- One account per web domain: claim_account de-duplicates under a lock; this holds even for a client that
-- inserts directly, or claims at REPEATABLE READ.
CREATE UNIQUE INDEX accounts_domain_key ON earned.accounts (domain_key) WHERE domain_key <> '';
CREATE INDEX accounts_name_key ON earned.accounts (name_key);

-- The values last-writer-wins set aside: an overwritten value (written by record_overwritten) or an edit
-- that arrived too late (written by set_account_field, as its author). Reps see them; nobody edits them.
CREATE TABLE earned.account_history (
    id          bigserial PRIMARY KEY,
    account_gid uuid NOT NULL REFERENCES earned.accounts,
    field       text NOT NULL,
    value       text NOT NULL,
    value_at    timestamptz NOT NULL,
    value_by    text NOT NULL,
    created_by  text NOT NULL DEFAULT current_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id   bigint NOT NULL DEFAULT nextval('earned.change_seq')
);
-- The same value set aside twice (a retried sync) is one row: writers use ON CONFLICT DO NOTHING.
CREATE UNIQUE INDEX account_history_once
    ON earned.account_history (account_gid, field, value_at, value_by, md5(value));

CREATE TABLE earned.facts (
    gid                uuid PRIMARY KEY,
    account_gid        uuid NOT NULL REFERENCES earned.accounts,
    kind               text NOT NULL,
    text               text NOT NULL,
    source_url         text NOT NULL DEFAULT '',
    source_title       text NOT NULL DEFAULT '',
    published          text,
    lang               text,
    off_site           boolean NOT NULL DEFAULT false,
    score              double precision,
    quote              text,
    quote_url          text,
    quote_retrieved_at text,
    quote_sha256       text,
    versions           jsonb NOT NULL DEFAULT '{}',
    created_by         text NOT NULL DEFAULT current_user,
    created_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz,
    xid                xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id          bigint NOT NULL DEFAULT nextval('earned.change_seq')
);
CREATE INDEX facts_account ON earned.facts (account_gid);

-- The sent log: append-only; deleted_at is the tombstone of an undone send.
CREATE TABLE earned.touches (
    gid             uuid PRIMARY KEY,
    account_gid     uuid NOT NULL REFERENCES earned.accounts,
    kind            text NOT NULL,
    subject         text NOT NULL DEFAULT '',
    text            text NOT NULL,
    cited_fact_gids uuid[] NOT NULL DEFAULT '{}',
    overrides       text[] NOT NULL DEFAULT '{}',
    sent_at         timestamptz NOT NULL,
    follow_up_due   date,
    created_by      text NOT NULL DEFAULT current_user,
    deleted_at      timestamptz,
    xid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id       bigint NOT NULL DEFAULT nextval('earned.change_seq')
);
CREATE INDEX touches_account ON earned.touches (account_gid);

CREATE TABLE earned.ownership (
    account_gid uuid PRIMARY KEY REFERENCES earned.accounts,
    owner       text NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id   bigint NOT NULL DEFAULT nextval('earned.change_seq')
);

CREATE TABLE earned.do_not_contact (
    gid         uuid PRIMARY KEY,
    account_gid uuid REFERENCES earned.accounts,
    email       text NOT NULL DEFAULT '',
    domain      text NOT NULL DEFAULT '',
    reason      text NOT NULL,
    created_by  text NOT NULL DEFAULT current_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id   bigint NOT NULL DEFAULT nextval('earned.change_seq')
);

CREATE TABLE earned.team_settings (
    key       text PRIMARY KEY,
    value     jsonb NOT NULL,
    xid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id bigint NOT NULL DEFAULT nextval('earned.change_seq')
);
INSERT INTO earned.team_settings (key, value) VALUES
    ('teammate_touch_days', '14'),  -- how long a teammate's message to an account warns others off it
    ('ownership_days', '90');       -- how long a claim on an account lasts without a new touch

-- Feed index and stamp trigger on every shared table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['reps', 'accounts', 'account_history', 'facts', 'touches', 'ownership',
                             'do_not_contact', 'team_settings'] LOOP
        EXECUTE format('CREATE INDEX %I ON earned.%I (xid, change_id)', t || '_feed', t);
        EXECUTE format('CREATE TRIGGER stamp_change BEFORE INSERT OR UPDATE ON earned.%I '
                       'FOR EACH ROW EXECUTE FUNCTION earned.stamp_change()', t);
    END LOOP;
END $$;

CREATE TRIGGER check_versions BEFORE INSERT OR UPDATE ON earned.accounts
    FOR EACH ROW EXECUTE FUNCTION earned.check_versions();
CREATE TRIGGER check_versions BEFORE INSERT OR UPDATE ON earned.facts
    FOR EACH ROW EXECUTE FUNCTION earned.check_versions();

-- When an account field's value is overwritten, the old value (with its version) goes to the history.
-- SECURITY DEFINER because the old value is usually another rep's: recorded as the rep who wrote it
-- (value_by), which a rep may not do (account_history's INSERT policy: value_by = current_user). It is safe
-- to run as the admin: a trigger function cannot be called directly, and what it writes comes only from the
-- row's own old and new versions, which check_versions has already held to "signed by the writer".
-- created_by is the winning version's author, that is the rep whose UPDATE this is.
CREATE FUNCTION earned.record_overwritten() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    field text;
    old_version jsonb;
    new_version jsonb;
    old_value text;
BEGIN
    FOREACH field IN ARRAY earned.lww_fields('accounts') LOOP
        old_version := OLD.versions -> field;
        new_version := NEW.versions -> field;
        old_value := to_jsonb(OLD) ->> field;
        IF old_version IS NOT NULL AND new_version IS DISTINCT FROM old_version
                AND old_value IS DISTINCT FROM to_jsonb(NEW) ->> field THEN
            INSERT INTO earned.account_history (account_gid, field, value, value_at, value_by, created_by)
            VALUES (OLD.gid, field, old_value, (old_version ->> 'at')::timestamptz, old_version ->> 'by',
                    new_version ->> 'by')
            ON CONFLICT DO NOTHING;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER record_overwritten AFTER UPDATE ON earned.accounts
    FOR EACH ROW EXECUTE FUNCTION earned.record_overwritten();

-- ---------------------------------------------------------------------------------------------------------
-- What the sync engine calls. All SECURITY INVOKER: they act with the calling rep's rights, so row-level
-- security applies to them as to the rep's own statements. Each is idempotent: the same call made again
-- after a crash or a lost connection returns the same answer and writes nothing more.
-- ---------------------------------------------------------------------------------------------------------

-- An account for a company, one per company: the account with the same (non-empty) web domain, else (no
-- domain given) the oldest with the same name key, else the one with p_gid, else a new one with p_gid.
-- The caller's field values are for a new account only; an existing one keeps its own (set_account_field).
-- Two reps claiming the same key at once wait for each other on an advisory lock (held to the end of the
-- transaction), so the second finds the first's account. A transaction claiming several accounts can
-- deadlock with another claiming the same ones in another order: PostgreSQL then aborts one (40P01), to retry.
CREATE FUNCTION earned.claim_account(p_gid uuid, p_company text, p_website text, p_domain_key text,
                                     p_name_key text, p_contact_name text, p_role text, p_email text,
                                     p_at timestamptz) RETURNS uuid
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    found_gid uuid;
    stamp jsonb;
    versions jsonb := '{}';
    field text;
    value text;
BEGIN
    p_domain_key := coalesce(p_domain_key, '');
    IF p_gid IS NULL OR coalesce(p_company, '') = '' OR coalesce(p_name_key, '') = '' THEN
        RAISE EXCEPTION 'an account needs a gid, a company and its name key' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM earned.check_edit_time(p_at);
    -- Under REPEATABLE READ the lookups below would read the snapshot taken before the lock was granted,
    -- and miss the account the other claim just made.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'claim_account must run at READ COMMITTED, not %', current_setting('transaction_isolation')
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    -- A claim by domain never matches by name, so it need not wait for name claims (and the other way round):
    -- either outcome equals one of the two claims running first.
    IF p_domain_key <> '' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('earned.domain_key:' || p_domain_key, 0));
        SELECT gid INTO found_gid FROM earned.accounts WHERE domain_key = p_domain_key;
    ELSE
        PERFORM pg_advisory_xact_lock(hashtextextended('earned.name_key:' || p_name_key, 0));
        -- Its own account first, so that a retried claim gets the answer it got the first time.
        SELECT gid INTO found_gid FROM earned.accounts WHERE name_key = p_name_key
        ORDER BY gid = p_gid DESC, created_at, gid LIMIT 1;
    END IF;
    IF found_gid IS NOT NULL THEN
        RETURN found_gid;
    END IF;
    IF EXISTS (SELECT FROM earned.accounts WHERE gid = p_gid) THEN
        RETURN p_gid;
    END IF;
    -- The claimed values are versioned at p_at, so an older edit made offline elsewhere does not beat them.
    stamp := earned.version_stamp(p_at);
    FOR field, value IN VALUES ('company', p_company), ('website', p_website), ('contact_name', p_contact_name),
                               ('role', p_role), ('email', p_email) LOOP
        IF coalesce(value, '') <> '' THEN
            versions := versions || jsonb_build_object(field, stamp);
        END IF;
    END LOOP;
    INSERT INTO earned.accounts (gid, company, website, domain_key, name_key, contact_name, role, email, versions)
    VALUES (p_gid, p_company, coalesce(p_website, ''), p_domain_key, p_name_key, coalesce(p_contact_name, ''),
            coalesce(p_role, ''), coalesce(p_email, ''), versions);
    RETURN p_gid;
END $$;

-- Last writer wins on one shared account field. Returns true when p_value is (now) the field's value from
-- this edit, false when a later edit holds the field; the losing value then goes to the history, as this
-- rep's. A value overwritten here goes to the history through the record_overwritten trigger.
CREATE FUNCTION earned.set_account_field(p_gid uuid, p_field text, p_value text, p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    account earned.accounts;
    current_value text;
    version jsonb;
BEGIN
    IF p_field IS NULL OR p_field <> ALL (earned.lww_fields('accounts')) THEN
        RAISE EXCEPTION 'accounts have no shared field "%"', p_field USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_value IS NULL THEN
        RAISE EXCEPTION 'a field''s value cannot be NULL (use '''')' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM earned.check_edit_time(p_at);
    -- Locked: two edits of one account are decided one after the other.
    SELECT * INTO account FROM earned.accounts WHERE gid = p_gid FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no account %', p_gid USING ERRCODE = 'no_data_found';
    END IF;
    current_value := to_jsonb(account) ->> p_field;
    version := account.versions -> p_field;
    IF version ->> 'by' = current_user::text AND (version ->> 'at')::timestamptz = p_at
            AND current_value = p_value THEN
        RETURN true;  -- this very edit, applied before
    END IF;
    IF earned.lww_wins(p_at, p_value, version, current_value) THEN
        EXECUTE format('UPDATE earned.accounts SET %I = $1, versions = versions || jsonb_build_object($2, $3) '
                       'WHERE gid = $4', p_field)
        USING p_value, p_field, earned.version_stamp(p_at), p_gid;
        RETURN true;
    END IF;
    IF p_value IS DISTINCT FROM current_value THEN
        INSERT INTO earned.account_history (account_gid, field, value, value_at, value_by)
        VALUES (p_gid, p_field, p_value, p_at, current_user)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN false;
END $$;

-- The same for a fact's or note's text. Only its author may edit it, so the losing edit is the author's own
-- older one (from another of their machines): it is not kept.
CREATE FUNCTION earned.set_fact_text(p_gid uuid, p_text text, p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    author text;
    fact earned.facts;
    version jsonb;
BEGIN
    IF p_text IS NULL THEN
        RAISE EXCEPTION 'a fact''s text cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM earned.check_edit_time(p_at);
    SELECT created_by INTO author FROM earned.facts WHERE gid = p_gid;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no fact %', p_gid USING ERRCODE = 'no_data_found';
    END IF;
    -- Row-level security would only make the UPDATE below touch nothing; say so instead of returning true.
    IF author <> current_user THEN
        RAISE EXCEPTION 'only its author (%) can edit fact %', author, p_gid USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO fact FROM earned.facts WHERE gid = p_gid FOR UPDATE;
    version := fact.versions -> 'text';
    IF version ->> 'by' = current_user::text AND (version ->> 'at')::timestamptz = p_at AND fact.text = p_text THEN
        RETURN true;
    END IF;
    IF NOT earned.lww_wins(p_at, p_text, version, fact.text) THEN
        RETURN false;
    END IF;
    UPDATE earned.facts SET text = p_text, versions = versions || jsonb_build_object('text', earned.version_stamp(p_at))
    WHERE gid = p_gid;
    RETURN true;
END $$;

-- Who works the account after this call: this rep, when nobody held it, this rep held it, or the holder's
-- claim has expired; otherwise the holder, unchanged. A claim lasts p_days (NULL: the team's ownership_days);
-- claiming again extends one's own claim, but only by a day or more, so a retried call changes nothing.
CREATE FUNCTION earned.claim_ownership(p_account uuid, p_days int DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    held earned.ownership;
    days int := coalesce(p_days, (SELECT (value #>> '{}')::int FROM earned.team_settings WHERE key = 'ownership_days'),
                         90);
    until timestamptz;
BEGIN
    IF days <= 0 THEN
        RAISE EXCEPTION 'a claim lasts at least a day, not %', days USING ERRCODE = 'invalid_parameter_value';
    END IF;
    until := now() + make_interval(days => days);
    -- Two first claims at once: the second waits, then sees the first's row.
    PERFORM pg_advisory_xact_lock(hashtextextended('earned.ownership:' || p_account::text, 0));
    SELECT * INTO held FROM earned.ownership WHERE account_gid = p_account;
    IF NOT FOUND THEN
        INSERT INTO earned.ownership (account_gid, owner, expires_at) VALUES (p_account, current_user, until);
    ELSIF held.owner = current_user THEN
        UPDATE earned.ownership SET expires_at = until
        WHERE account_gid = p_account AND expires_at <= until - interval '1 day';
    ELSIF held.expires_at <= now() THEN
        UPDATE earned.ownership SET owner = current_user, claimed_at = now(), expires_at = until
        WHERE account_gid = p_account;
    ELSE
        RETURN held.owner;
    END IF;
    RETURN current_user;
END $$;

-- ---------------------------------------------------------------------------------------------------------
-- Privileges and row-level security (https://www.postgresql.org/docs/current/ddl-rowsecurity.html).
-- Reps get no DELETE anywhere: a row leaves by its tombstone (deleted_at), which syncs; only the admin
-- deletes. FORCE applies the policies to the tables' owner too.
-- ---------------------------------------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA earned FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA earned FROM PUBLIC;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA earned TO earned_rep;
GRANT EXECUTE ON FUNCTION earned.claim_account(uuid, text, text, text, text, text, text, text, timestamptz),
                          earned.set_account_field(uuid, text, text, timestamptz),
                          earned.set_fact_text(uuid, text, timestamptz),
                          earned.claim_ownership(uuid, int),
                          earned.lww_fields(text), earned.version_stamp(timestamptz),
                          earned.lww_wins(timestamptz, text, jsonb, text), earned.check_edit_time(timestamptz)
    TO earned_rep;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['reps', 'accounts', 'account_history', 'facts', 'touches', 'ownership',
                             'do_not_contact', 'team_settings'] LOOP
        EXECUTE format('ALTER TABLE earned.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE earned.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('GRANT SELECT ON earned.%I TO earned_rep', t);
        EXECUTE format('CREATE POLICY read_all ON earned.%I FOR SELECT TO earned_rep USING (true)', t);
        EXECUTE format('GRANT ALL ON earned.%I TO earned_admin', t);
        EXECUTE format('CREATE POLICY admin_all ON earned.%I TO earned_admin USING (true) WITH CHECK (true)', t);
    END LOOP;
END $$;

-- A rep's own name, once (register()).
GRANT INSERT (role, display_name), UPDATE (display_name) ON earned.reps TO earned_rep;
CREATE POLICY insert_own ON earned.reps FOR INSERT TO earned_rep WITH CHECK (role = current_user);
CREATE POLICY update_own ON earned.reps FOR UPDATE TO earned_rep
    USING (role = current_user) WITH CHECK (role = current_user);

-- Accounts are the team's: any rep edits the shared fields (and their versions, held honest by
-- check_versions), none rewrites who created one or when.
GRANT INSERT ON earned.accounts TO earned_rep;
GRANT UPDATE (company, website, domain_key, name_key, contact_name, role, email, status, status_reason, versions)
    ON earned.accounts TO earned_rep;
CREATE POLICY insert_own ON earned.accounts FOR INSERT TO earned_rep WITH CHECK (created_by = current_user);
CREATE POLICY update_shared ON earned.accounts FOR UPDATE TO earned_rep USING (true) WITH CHECK (true);

-- A rep sets aside only their own values (a late edit); another's overwritten value is recorded by
-- record_overwritten. Nobody edits history.
GRANT INSERT ON earned.account_history TO earned_rep;
CREATE POLICY insert_own ON earned.account_history FOR INSERT TO earned_rep
    WITH CHECK (created_by = current_user AND value_by = current_user);

-- Facts and notes: the author edits or tombstones them; never who wrote them, for which account, or when.
GRANT INSERT ON earned.facts TO earned_rep;
GRANT UPDATE (kind, text, source_url, source_title, published, lang, off_site, score, quote, quote_url,
              quote_retrieved_at, quote_sha256, versions, deleted_at) ON earned.facts TO earned_rep;
CREATE POLICY insert_own ON earned.facts FOR INSERT TO earned_rep WITH CHECK (created_by = current_user);
CREATE POLICY update_own ON earned.facts FOR UPDATE TO earned_rep
    USING (created_by = current_user) WITH CHECK (created_by = current_user);

-- The sent log is append-only: its author may only set (or clear) the tombstone of an undone send.
GRANT INSERT ON earned.touches TO earned_rep;
GRANT UPDATE (deleted_at) ON earned.touches TO earned_rep;
CREATE POLICY insert_own ON earned.touches FOR INSERT TO earned_rep WITH CHECK (created_by = current_user);
CREATE POLICY update_own ON earned.touches FOR UPDATE TO earned_rep
    USING (created_by = current_user) WITH CHECK (created_by = current_user);

GRANT INSERT ON earned.do_not_contact TO earned_rep;
GRANT UPDATE (deleted_at) ON earned.do_not_contact TO earned_rep;
CREATE POLICY insert_own ON earned.do_not_contact FOR INSERT TO earned_rep WITH CHECK (created_by = current_user);
CREATE POLICY update_own ON earned.do_not_contact FOR UPDATE TO earned_rep
    USING (created_by = current_user) WITH CHECK (created_by = current_user);

-- A rep claims an account for themself only, and takes over only an expired claim (claim_ownership).
GRANT INSERT ON earned.ownership TO earned_rep;
GRANT UPDATE (owner, claimed_at, expires_at) ON earned.ownership TO earned_rep;
CREATE POLICY insert_own ON earned.ownership FOR INSERT TO earned_rep WITH CHECK (owner = current_user);
CREATE POLICY update_own_or_expired ON earned.ownership FOR UPDATE TO earned_rep
    USING (owner = current_user OR expires_at <= now()) WITH CHECK (owner = current_user);

-- team_settings: read by all (read_all above), written by the admin only (no grant to reps).
