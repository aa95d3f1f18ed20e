--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: audit_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_entries (
    seq bigint NOT NULL,
    at timestamp without time zone NOT NULL,
    actor character varying(200) NOT NULL,
    action character varying(100) NOT NULL,
    target character varying(300) NOT NULL,
    outcome character varying(16) NOT NULL,
    details text NOT NULL,
    prev_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL
);


--
-- Name: audit_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_head (
    id integer NOT NULL,
    seq bigint NOT NULL,
    hash character varying(64) NOT NULL,
    mac character varying(64) NOT NULL
);


--
-- Name: audit_head_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_head_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_head_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_head_id_seq OWNED BY public.audit_head.id;


--
-- Name: ca_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ca_keys (
    id integer NOT NULL,
    ca_id character varying(16) NOT NULL,
    purpose character varying(8) NOT NULL,
    generation integer NOT NULL,
    key_algorithm character varying(16) NOT NULL,
    certificate_der bytea NOT NULL,
    encrypted_key bytea NOT NULL,
    not_after timestamp without time zone NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: ca_keys_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ca_keys_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ca_keys_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ca_keys_id_seq OWNED BY public.ca_keys.id;


--
-- Name: court_orders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.court_orders (
    id integer NOT NULL,
    iin character varying(12) NOT NULL,
    court character varying(200) NOT NULL,
    document_ref character varying(200) NOT NULL,
    effective_from timestamp without time zone NOT NULL,
    lifted_at timestamp without time zone,
    recorded_at timestamp without time zone NOT NULL
);


--
-- Name: court_orders_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.court_orders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: court_orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.court_orders_id_seq OWNED BY public.court_orders.id;


--
-- Name: crl_issues; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.crl_issues (
    id bigint NOT NULL,
    ca_id character varying(16) NOT NULL,
    crl_number bigint NOT NULL,
    kind character varying(8) NOT NULL,
    this_update timestamp without time zone NOT NULL,
    next_update timestamp without time zone NOT NULL,
    base_crl_number bigint,
    status_version bigint NOT NULL,
    entries bigint NOT NULL,
    der bytea
);


--
-- Name: crl_issues_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.crl_issues_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: crl_issues_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.crl_issues_id_seq OWNED BY public.crl_issues.id;


--
-- Name: issued_certificates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.issued_certificates (
    id integer NOT NULL,
    ca_id character varying(16) NOT NULL,
    serial character varying(42) NOT NULL,
    iin character varying(12),
    kind character varying(32) NOT NULL,
    subject_cn character varying(256) NOT NULL,
    not_before timestamp without time zone NOT NULL,
    not_after timestamp without time zone NOT NULL,
    issued_at timestamp without time zone NOT NULL,
    der bytea NOT NULL
);


--
-- Name: issued_certificates_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.issued_certificates_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: issued_certificates_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.issued_certificates_id_seq OWNED BY public.issued_certificates.id;


--
-- Name: operators; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.operators (
    id integer NOT NULL,
    name character varying(64) NOT NULL,
    role character varying(32) NOT NULL,
    ca_ids character varying(200) NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    active boolean NOT NULL
);


--
-- Name: operators_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.operators_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: operators_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.operators_id_seq OWNED BY public.operators.id;


--
-- Name: revocation_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.revocation_state (
    ca_id character varying(16) NOT NULL,
    status_version bigint NOT NULL,
    crl_number bigint NOT NULL
);


--
-- Name: revocations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.revocations (
    id bigint NOT NULL,
    ca_id character varying(16) NOT NULL,
    serial character varying(42) NOT NULL,
    ground character varying(32) NOT NULL,
    reason character varying(32) NOT NULL,
    revocation_time timestamp without time zone NOT NULL,
    invalidity_date timestamp without time zone,
    requested_by character varying(200) NOT NULL,
    document_ref character varying(300) NOT NULL,
    effective_from timestamp without time zone NOT NULL,
    effective_until timestamp without time zone,
    end_action character varying(16),
    ended_by character varying(200),
    end_document_ref character varying(300),
    started_version bigint NOT NULL,
    ended_version bigint,
    entry_der bytea NOT NULL
);


--
-- Name: revocations_archive; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.revocations_archive (
    archived_at timestamp without time zone NOT NULL,
    id bigint NOT NULL,
    ca_id character varying(16) NOT NULL,
    serial character varying(42) NOT NULL,
    ground character varying(32) NOT NULL,
    reason character varying(32) NOT NULL,
    revocation_time timestamp without time zone NOT NULL,
    invalidity_date timestamp without time zone,
    requested_by character varying(200) NOT NULL,
    document_ref character varying(300) NOT NULL,
    effective_from timestamp without time zone NOT NULL,
    effective_until timestamp without time zone,
    end_action character varying(16),
    ended_by character varying(200),
    end_document_ref character varying(300),
    started_version bigint NOT NULL,
    ended_version bigint,
    entry_der bytea NOT NULL
);


--
-- Name: revocations_archive_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.revocations_archive_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: revocations_archive_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.revocations_archive_id_seq OWNED BY public.revocations_archive.id;


--
-- Name: revocations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.revocations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: revocations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.revocations_id_seq OWNED BY public.revocations.id;


--
-- Name: unis_account_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.unis_account_events (
    id integer NOT NULL,
    account_id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    action character varying(32) NOT NULL,
    reason character varying(64),
    until timestamp without time zone,
    actor character varying(100) NOT NULL
);


--
-- Name: unis_account_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.unis_account_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: unis_account_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.unis_account_events_id_seq OWNED BY public.unis_account_events.id;


--
-- Name: unis_accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.unis_accounts (
    id integer NOT NULL,
    iin character varying(12) NOT NULL,
    role character varying(32) NOT NULL,
    chamber character varying(200) NOT NULL,
    status character varying(16) NOT NULL,
    status_reason character varying(64),
    suspended_until timestamp without time zone,
    status_changed_at timestamp without time zone NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: unis_accounts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.unis_accounts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: unis_accounts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.unis_accounts_id_seq OWNED BY public.unis_accounts.id;


--
-- Name: unis_challenges; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.unis_challenges (
    challenge_id character varying(43) NOT NULL,
    nonce bytea NOT NULL,
    created_at timestamp without time zone NOT NULL,
    expires_at timestamp without time zone NOT NULL,
    used_at timestamp without time zone
);


--
-- Name: unis_login_records; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.unis_login_records (
    id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    challenge_id character varying(43),
    iin_masked character varying(12),
    account_id integer,
    decision character varying(16) NOT NULL,
    reasons json NOT NULL,
    signature_format character varying(8) NOT NULL,
    certificate_issuer character varying(500),
    certificate_serial character varying(64),
    certificate_sha256 character varying(64),
    indication character varying(32),
    details json NOT NULL
);


--
-- Name: unis_login_records_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.unis_login_records_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: unis_login_records_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.unis_login_records_id_seq OWNED BY public.unis_login_records.id;


--
-- Name: audit_head id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_head ALTER COLUMN id SET DEFAULT nextval('public.audit_head_id_seq'::regclass);


--
-- Name: ca_keys id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ca_keys ALTER COLUMN id SET DEFAULT nextval('public.ca_keys_id_seq'::regclass);


--
-- Name: court_orders id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.court_orders ALTER COLUMN id SET DEFAULT nextval('public.court_orders_id_seq'::regclass);


--
-- Name: crl_issues id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.crl_issues ALTER COLUMN id SET DEFAULT nextval('public.crl_issues_id_seq'::regclass);


--
-- Name: issued_certificates id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issued_certificates ALTER COLUMN id SET DEFAULT nextval('public.issued_certificates_id_seq'::regclass);


--
-- Name: operators id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operators ALTER COLUMN id SET DEFAULT nextval('public.operators_id_seq'::regclass);


--
-- Name: revocations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revocations ALTER COLUMN id SET DEFAULT nextval('public.revocations_id_seq'::regclass);


--
-- Name: revocations_archive id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revocations_archive ALTER COLUMN id SET DEFAULT nextval('public.revocations_archive_id_seq'::regclass);


--
-- Name: unis_account_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_account_events ALTER COLUMN id SET DEFAULT nextval('public.unis_account_events_id_seq'::regclass);


--
-- Name: unis_accounts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_accounts ALTER COLUMN id SET DEFAULT nextval('public.unis_accounts_id_seq'::regclass);


--
-- Name: unis_login_records id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_login_records ALTER COLUMN id SET DEFAULT nextval('public.unis_login_records_id_seq'::regclass);


--
-- Data for Name: audit_entries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_entries VALUES (1, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:5a6a915234fed727fd3b56584f40f6bb5f631678', 'success', '{"iin":"********0003","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '0000000000000000000000000000000000000000000000000000000000000000', '36ae91eac95521ed60616170b9fa16f66d1f34655e0311bba6f1b0235d3d6c58');
INSERT INTO public.audit_entries VALUES (2, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:7a24a3f774f02cb175d3d51d39495037dceb0db0', 'success', '{"iin":"********0378","key_storage":"file","kind":"individual_sign","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '36ae91eac95521ed60616170b9fa16f66d1f34655e0311bba6f1b0235d3d6c58', '3c8a156928a5eeffe5037d8e3ed712fc6afa60a08e4e997bdfa1027a3f450fb6');
INSERT INTO public.audit_entries VALUES (3, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:7910e1eab89ddabbfb6880c539ab5e9e56a92b79', 'success', '{"iin":"********0749","key_storage":"file","kind":"individual_single_key","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '3c8a156928a5eeffe5037d8e3ed712fc6afa60a08e4e997bdfa1027a3f450fb6', '829cb6b4ed2c4a330cc941d705f49d0f028377a03bf66aed856e5a1245e57368');
INSERT INTO public.audit_entries VALUES (4, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:4eae5442fff0f37c7c568285b6bd2b64b85b005b', 'success', '{"iin":"********1115","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '829cb6b4ed2c4a330cc941d705f49d0f028377a03bf66aed856e5a1245e57368', '97c0a39d54abbd20d9bb62e95e1f298e2de70dda4b43a3df8578e2447be3c66f');
INSERT INTO public.audit_entries VALUES (5, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:384a3403e0be280fc9317007d8b8861eaba31ee5', 'success', '{"iin":"********1483","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '97c0a39d54abbd20d9bb62e95e1f298e2de70dda4b43a3df8578e2447be3c66f', '6668c7be1f22df8b324d3f64b39c5e545ed046122ce7df244b0e996fb916d981');
INSERT INTO public.audit_entries VALUES (6, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:26fc871e901e360b2cb67e92a19bb09e4985b719', 'success', '{"iin":"********1852","key_storage":"file","kind":"individual_auth","lenient":true,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '6668c7be1f22df8b324d3f64b39c5e545ed046122ce7df244b0e996fb916d981', 'fc1ff8bc17cdfd92b3b344f281231ac2fec487c22a26593b32270c5e4eec76ad');
INSERT INTO public.audit_entries VALUES (7, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:3815f1810c20d2bf0c2e45aec19b21ff44f3015b', 'success', '{"iin":"********2221","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', 'fc1ff8bc17cdfd92b3b344f281231ac2fec487c22a26593b32270c5e4eec76ad', '176863b0137867e456b3cff980f5a0eab28c0a831a7bd9e8395f36ce831bed8d');
INSERT INTO public.audit_entries VALUES (8, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:6900030775cb8f61f080416e57706c6f94403db2', 'success', '{"iin":"********2598","key_storage":"file","kind":"individual_auth","lenient":true,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '176863b0137867e456b3cff980f5a0eab28c0a831a7bd9e8395f36ce831bed8d', '7e78cbc07f00b248ec4861fe8c0c5f880866ba14c242a809420fa20d9f0cfd44');
INSERT INTO public.audit_entries VALUES (9, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:79c002cab1775b848ab23f82cd57e8b08b76c88f', 'success', '{"iin":"********2960","key_storage":"file","kind":"individual_auth","lenient":true,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '7e78cbc07f00b248ec4861fe8c0c5f880866ba14c242a809420fa20d9f0cfd44', 'b9a859ba964b7e29c6c2df1ba0d0ab4bc91d83c251f67dd83718aa21bfb8032f');
INSERT INTO public.audit_entries VALUES (10, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:1e21e67b79233e51aa261828a6a2f2448bd5d4dd', 'success', '{"iin":"********3337","key_storage":"token","kind":"individual_auth","lenient":true,"not_after":"2028-10-30T09:00:00+00:00","not_before":"2025-10-30T09:00:00+00:00"}', 'b9a859ba964b7e29c6c2df1ba0d0ab4bc91d83c251f67dd83718aa21bfb8032f', '31a9beb55181edc0ab7c43631335425ba8b92936c80c1b84edfa6814439536b8');
INSERT INTO public.audit_entries VALUES (11, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:5a13dea00473eaf72befb865069b0d275dcf197c', 'success', '{"iin":"********3704","key_storage":"file","kind":"individual_auth","lenient":true,"not_after":"2025-11-30T09:00:00+00:00","not_before":"2024-11-30T09:00:00+00:00"}', '31a9beb55181edc0ab7c43631335425ba8b92936c80c1b84edfa6814439536b8', 'c3a7a651b30958acf29968d5d97039e1a6ac7634dd237ecebeea38cb13a42bec');
INSERT INTO public.audit_entries VALUES (12, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:736c870abeb881ceb3d35657fe9e10c823b3d759', 'success', '{"iin":"********4071","key_storage":"file","kind":"individual_auth","lenient":true,"not_after":"2027-12-30T09:00:00+00:00","not_before":"2026-12-30T09:00:00+00:00"}', 'c3a7a651b30958acf29968d5d97039e1a6ac7634dd237ecebeea38cb13a42bec', '71fa26502e79a6e594fa34d617900dcab52f4f5cecae649814bdd9bde5c247a8');
INSERT INTO public.audit_entries VALUES (13, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:61944623423434b55264cda7007dda7e2753b593', 'success', '{"iin":"********4449","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '71fa26502e79a6e594fa34d617900dcab52f4f5cecae649814bdd9bde5c247a8', 'da0da935829c1f003ace2d25d27220bed56a1c6f672736a55e1f49f9a65b3a31');
INSERT INTO public.audit_entries VALUES (14, '2026-11-30 09:00:00', 'fixtures', 'revoke', 'nca:61944623423434b55264cda7007dda7e2753b593', 'success', '{"document_ref":"fixtures scenario revoked_key_compromise","ground":"key_compromise","invalidity_date":null,"reason":"keyCompromise","status_version":1}', 'da0da935829c1f003ace2d25d27220bed56a1c6f672736a55e1f49f9a65b3a31', '7e1896d2826cea9347c01873a89df574f18055cfbc6c503889e84f171c0756be');
INSERT INTO public.audit_entries VALUES (15, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:190b60f99e5cf6a72641ebbc23b99860d1724ff6', 'success', '{"iin":"********4810","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '7e1896d2826cea9347c01873a89df574f18055cfbc6c503889e84f171c0756be', '86bda171aa4eb08b7ad4f2530e90b92fae2608ad8045e107044b04914ab5c648');
INSERT INTO public.audit_entries VALUES (16, '2026-11-30 09:00:00', 'fixtures', 'revoke', 'nca:190b60f99e5cf6a72641ebbc23b99860d1724ff6', 'success', '{"document_ref":"fixtures scenario revoked_name_change","ground":"name_change","invalidity_date":null,"reason":"superseded","status_version":2}', '86bda171aa4eb08b7ad4f2530e90b92fae2608ad8045e107044b04914ab5c648', 'a6cd1906df74d49bb8010f7233dbb1397387d24a9e534f62af0861822eda8b32');
INSERT INTO public.audit_entries VALUES (17, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:68fbc01146b3e8f127b3378d5e86ff6cd5071e9d', 'success', '{"iin":"********5187","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', 'a6cd1906df74d49bb8010f7233dbb1397387d24a9e534f62af0861822eda8b32', '78ce4f5053013f1ba679b08230683750be1ee18815739e84ed0f62dd0a302ed8');
INSERT INTO public.audit_entries VALUES (18, '2026-11-30 09:00:00', 'fixtures', 'hold', 'nca:68fbc01146b3e8f127b3378d5e86ff6cd5071e9d', 'success', '{"document_ref":"fixtures scenario on_hold","ground":"hold","invalidity_date":null,"reason":"certificateHold","status_version":3}', '78ce4f5053013f1ba679b08230683750be1ee18815739e84ed0f62dd0a302ed8', 'baec7b42baf31c84324ee5ff3387ac915c8fded3e0a8839b7d4da4b9053e3b09');
INSERT INTO public.audit_entries VALUES (19, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:6088c80d83b80173ea870895912dd801bb6c5208', 'success', '{"iin":"********5550","key_storage":"file","kind":"legal_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', 'baec7b42baf31c84324ee5ff3387ac915c8fded3e0a8839b7d4da4b9053e3b09', 'e0de7db16374bca46a8ec99762fbfcf469704e103f8ad9b83977eea2178ca65b');
INSERT INTO public.audit_entries VALUES (20, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:75f3c1123a32d5514486e6063685700059abdade', 'success', '{"iin":"********5923","key_storage":"file","kind":"legal_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', 'e0de7db16374bca46a8ec99762fbfcf469704e103f8ad9b83977eea2178ca65b', '9f275483c13e48e57cf89ede42fcfc5ab95e01c8e4b6275388d5d3488df545bf');
INSERT INTO public.audit_entries VALUES (21, '2026-11-30 09:00:00', 'fixtures', 'issue', 'gov:6b6eeaecb0719dae2f1424df6f721aa9f3d807db', 'success', '{"iin":"********6298","key_storage":"file","kind":"civil_servant","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '9f275483c13e48e57cf89ede42fcfc5ab95e01c8e4b6275388d5d3488df545bf', 'c62fca6255ddfedba62782300bcd1b0a278a126673a8230c404863999778b20c');
INSERT INTO public.audit_entries VALUES (22, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:54d3faa8cad000b8957bc367a040a6c1c988947a', 'success', '{"iin":"********7035","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', 'c62fca6255ddfedba62782300bcd1b0a278a126673a8230c404863999778b20c', '51204ad752506f12d4dae40788d518b0649eada37b9f6d7b9a6312f3eecf6524');
INSERT INTO public.audit_entries VALUES (23, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:37786fd15286c5c628a0e21bee299745d1794a66', 'success', '{"iin":"********7406","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '51204ad752506f12d4dae40788d518b0649eada37b9f6d7b9a6312f3eecf6524', 'ea2bc31119e8cda615474c0d7fb55344ea29c84d0131d9515311a030008c4d48');
INSERT INTO public.audit_entries VALUES (24, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:4bda2853a03d11b27397dc3a4ee81ab44ca37830', 'success', '{"iin":"********7777","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', 'ea2bc31119e8cda615474c0d7fb55344ea29c84d0131d9515311a030008c4d48', 'c1ed6d6739cf6feeeb618e9c9a926175ba189bcdfda82f097ada7b1e512940f1');
INSERT INTO public.audit_entries VALUES (25, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:4936748aeb7577474c5c8a9fbac062042f5c23d4', 'success', '{"iin":"********8146","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', 'c1ed6d6739cf6feeeb618e9c9a926175ba189bcdfda82f097ada7b1e512940f1', '437972547388209a291ca2bf77079bb89fa07360e592f1dfb01fec9a430703da');
INSERT INTO public.audit_entries VALUES (26, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:18f1a228f90fb872355a91b364c4927fa22d1692', 'success', '{"iin":"********8519","key_storage":"file","kind":"individual_auth","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '437972547388209a291ca2bf77079bb89fa07360e592f1dfb01fec9a430703da', '95d7599002be34ef218f98349cf16ca35e663d31a422ccf27d6b839b6ea93731');
INSERT INTO public.audit_entries VALUES (27, '2026-11-30 09:00:00', 'fixtures', 'issue', 'nca:11eea92c3069d91e491a319aac0a5068d93ae066', 'success', '{"iin":"********0011","key_storage":"file","kind":"information_system","lenient":false,"not_after":"2027-11-30T09:00:00+00:00","not_before":"2026-11-30T09:00:00+00:00"}', '95d7599002be34ef218f98349cf16ca35e663d31a422ccf27d6b839b6ea93731', '62ceb8c3ee4175ef9dbb37917ef4e43d94ce7b521f5c96f0578dd879490072d7');
INSERT INTO public.audit_entries VALUES (28, '2026-12-02 00:20:12.509937', 'cli:root', 'add_operator', 'alice', 'success', '{"ca_ids":["nca"],"role":"operator"}', '62ceb8c3ee4175ef9dbb37917ef4e43d94ce7b521f5c96f0578dd879490072d7', 'e35a78cf06a6014151447720b7aa7c2c51a51dfde0cabfbc445b7b37de8b0630');
INSERT INTO public.audit_entries VALUES (29, '2026-12-02 00:20:32.98041', 'cli:root', 'publish_crl', 'root,gov,nca', 'success', '{"crl_numbers":{"gov:delta":2,"gov:full":1,"nca:delta":2,"nca:full":1,"root:delta":2,"root:full":1}}', 'e35a78cf06a6014151447720b7aa7c2c51a51dfde0cabfbc445b7b37de8b0630', 'e915d004e882202dd873b639f8fd65f138c15ed37f383a53c5214785d0738dbc');


--
-- Data for Name: audit_head; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_head VALUES (1, 29, 'e915d004e882202dd873b639f8fd65f138c15ed37f383a53c5214785d0738dbc', '1b83fb54a4b87ae16fb687601c9a8c1c49c503247e200a4f65530f8c493c945d');


--
-- Data for Name: ca_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ca_keys VALUES (1, 'root', 'ca', 1, 'ecdsa', '\x3082025e30820204a0030201020214703bf226c93d2333e92ede7dabd182601f12ba6a300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3333313133303039303030305a305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004ba7377cb16967e4240deb28736f292b369522e7563ef8e0231400262610e319424ea07dd8dee28f528947a8b84981e4a5e6e5d3e15790f01d8149710e26d97aba381a33081a0300f0603551d130101ff040530030101ff300e0603551d0f0101ff040403020106301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11303d0603551d2004363034303206072a830e030301013027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f637073301d0603551d0e041604145200b6f8000843f8272ce70d93046069b2862c11300a06082a8648ce3d0403020348003045022100a50ddef7b57752a51f97ef7b9a5c88a4efc4055815ddead1fefea0a66710212b02202b544847f6375623139b0051c9a80cc8f910a2f4ee099d8b2cc265029cb5c051', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c30240410912a2f34ea9529c238304aabf1e7ab4d02020800300c06082a864886f70d02090500301d060960864801650304012a0410f45a0a63ac0e9126211f734b7242fa450481906b69a82e02bb07064003a0f4262263b8a1815482417514380cd273045555c17680be73f29a7b667c216d519812ef934d8959ad64e0d2a899009cb15fa3102b06417b8bb040e84eb5d04e61fc31043b03fd2054fa9f4c4453d78ae10dd006f98a2af97833085490ad26bed08d669196c578ad752ae8bccc7348e40d7ef39328a8cecce764c68784b63615a99fb56582ec', '2033-11-30 09:00:00', '2023-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (2, 'gov', 'ca', 1, 'ecdsa', '\x3082036b30820312a00302010202143263400afd229ce3cec3e65a36e7b0add290209e300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3330313133303039303030305a307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d030107034200049a0658ee25a4cc2a6895190419a766adbfa0f21cf3b9848b295de5137abddd78e1352ecbd53c452aa49c08d0f5e1fae113571f418d96033d3ee622334555b654a382018f3082018b30120603551d130101ff040830060101ff020100300e0603551d0f0101ff040403020106301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11303d0603551d2004363034303206072a830e030301013027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330390603551d1f04323030302ea02ca02a8628687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f65636473612e63726c303b0603551d2e043430323030a02ea02c862a687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f645f65636473612e63726c306e06082b0601050507010104623060303506082b060105050730028629687474703a2f2f3132372e302e302e313a383038302f636572742f726f6f745f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301d0603551d0e0416041427669b73cb0be4c51def2a0b5704705287bba02a300a06082a8648ce3d040302034700304402204b7194c0600aac1e6b18460d915a0e4c0e9be3ceab581832cec8f2e253f0c035022062926a47fff1625c0b0d50fa2f1616902cf58113c3f009271df3b6e43790e201', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c30240410c34ca94b8b73b71f56532af474dd2d3c02020800300c06082a864886f70d02090500301d060960864801650304012a041099a55e09b8bcea1036e2fdfb05d0e5a00481902d86fe865bcd8e75a211a11733fa7f940cdd86a57438a10d2b51e39a2f0988a6316ee70819a73d5364f80d407b2832c2ca95f5f6c2b3c10985a857546f731357d4ee2b5cb0bfb06de7d53530149f3ef1efbb61bb06bca002db98060e5a2d9819c5af01223d48d9f8999451227b4ec34bf36b855dccb45324fda29f4330ce4dfac73b23cbf0762e6fe2bec2111b0d000e', '2030-11-30 09:00:00', '2023-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (3, 'nca', 'ca', 1, 'ecdsa', '\x30820349308202efa003020102021410a5ec10b8d0bf4eff9b42db62c1d87be58e6ed3300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3330313133303039303030305a305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004fe8e821b4e98c6515ee9d8228c61ed80630bafd4f7264578f6f000d16991402b8f2cab342a60c33fc13215a68b62c477e02c18efd98e9f3f7d4e116014ea07a1a382018f3082018b30120603551d130101ff040830060101ff020100300e0603551d0f0101ff040403020106301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11303d0603551d2004363034303206072a830e030301013027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330390603551d1f04323030302ea02ca02a8628687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f65636473612e63726c303b0603551d2e043430323030a02ea02c862a687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f645f65636473612e63726c306e06082b0601050507010104623060303506082b060105050730028629687474703a2f2f3132372e302e302e313a383038302f636572742f726f6f745f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301d0603551d0e04160414fd4c7ac9351c96245f26e0b35b605643e863f6b8300a06082a8648ce3d0403020348003045022100c63f8991fc413480d0acd4e76158b8992772155c9c4352ade0d935647d7279a40220579963edfc71c99bc395203224f54b3506dd79a778cad021651f42db4d157fe5', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c302404103809b1ff3c1cfb469126923334737c7202020800300c06082a864886f70d02090500301d060960864801650304012a04108260c3825535d298bceadeb29bdd8c970481902b8adbbe327189c5cfd6c44ffa04229e88b56743c44b88675ecff3a3250f1038e1168e4698c6de77d64d86beb0ef84b2bc5a07fc3270a557c1cea470284518f15c243e928952400e163d17ddb26a8c9259a17b26617862ef832865dd35eb5fcce40c61b638427a3f4976dff91add0d1df1199f39f0627797ae67d3cc09143e7e9d2664be765bcc5adf476e689e2263bd', '2030-11-30 09:00:00', '2023-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (4, 'root', 'ocsp', 1, 'ecdsa', '\x3082020f308201b5a003020102021459a07d9753d5c0930523c1b893b47fc7a173aee2300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3233313233303039303030305a3039312a302806035504030c214f43535020524553504f4e44455220524f4f542028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004272fc148b98182d7fa5fb4b3ab874eb726e71a528b81316f3a473da182ee3e5db13c18b375c29b9ae414f6ba8b788571d43ebfc7bb89aa436708986e29f0669da3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11300f06092b060105050730010504020500301d0603551d0e04160414835f2ccf85500e6e9bef0aa971021ab718d834af300a06082a8648ce3d0403020348003045022100cc867bdfbaf6dd8b865c166c5913f4adae0d55a2ef809c502eb9e6fef00d2f7e022070540eff5caeab74e1a5d36640bfc2fbc4792265ed8c208bc3b44cb04331ccc3', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c302404103567464df66c6c54878afcbefeaefad902020800300c06082a864886f70d02090500301d060960864801650304012a0410b81f3fdb2df0acd3d4a3499b145a2ec604819001ef86275459d68d4b606b947e813f803b1217ad09109ee0618ee5ab95e4cffa6f8f27e2db31d84c6f497e45a5b489d70e85a6881ab636aec0a5abab60cf462b240ef8adcb752dde7ca187333bfa5e2a2e0752c4721f6dd64c1e5d19e1084c3335bb42dc295d77cca67fe1cd793bb2d3685c4923e39069d8516b156cbe76948b6be7edab56b95888a2a304a534a7ce86', '2023-12-30 09:00:00', '2023-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (5, 'gov', 'ocsp', 1, 'ecdsa', '\x3082022f308201d5a00302010202145f21c44629ab896c10ca50cc2f2b057cc2891fd1300a06082a8648ce3d040302307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3233313233303039303030305a30383129302706035504030c204f43535020524553504f4e44455220474f562028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d030107034200041338f4e8308abc55d491d069c6e3e48ed9bea6f32f70038a9fcb6161d1952d80a950877d734287980687fd23323608f468fe94be72cd797415aa52407bbc6d30a3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d2304183016801427669b73cb0be4c51def2a0b5704705287bba02a300f06092b060105050730010504020500301d0603551d0e041604145d0e41ec73d25b1ff53825243414b9f4c56bb998300a06082a8648ce3d04030203480030450220390bd3ebf374ac01d128a862f1d53ed620e3eef27999dd532fc04d48b32a0c99022100ea706dbb9aad2417c46977eedb20bbedae6758ad580ed73876f62845d8c13296', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c30240410aeadd861f3d35232248cc70dda59a37602020800300c06082a864886f70d02090500301d060960864801650304012a0410f733da8cc80cdaa524bbc17a18ebea5c04819055a2dbd8135efad92a5fc09d0a7ea2fbcbfe0e7c7315a5bd8e4f70d01f9839be71ff55ef3a7a27eacba5c175c3c2be028d4efe5f8afb01f317fe8d487f5db81a949dac8567d5512ce7a5750fa3c2d973826a876b642c39048548909a7a33a5798568ea0611c0bd4c4a4d514e94eab43a20de73909297338db29ae6b825dc56b10eb2e7b7a978f22208cc4d8782c3925a', '2023-12-30 09:00:00', '2023-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (6, 'nca', 'ocsp', 1, 'ecdsa', '\x3082020b308201b2a0030201020214437c8f042c15568139f3c5f18447a5092b7283d9300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3233313233303039303030305a30383129302706035504030c204f43535020524553504f4e444552204e43412028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004209bf45a1bfa05029af91755b935a6fc48c91059ad55b1ee943f30b5cd7931bf01cb2eb149eb4649a01c79c9a3d22cf3e211ea53db806b3584e97a37648db6e9a3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8300f06092b060105050730010504020500301d0603551d0e04160414d7caf3974ca53f29961e7e70bd47f7085d904c63300a06082a8648ce3d040302034700304402201a35f1214421139c40c3860e3c762ed8bc40f322024e6fd264ed82227753037f022026fbd193da940a645673a0e55a6f16d3aae911ba80d319954b002aca13780a30', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c302404105580786d44b72e8099aefc829b32813002020800300c06082a864886f70d02090500301d060960864801650304012a041055346089c7fd055949774ba6d7a53a610481900e701c8b696a7ad72d609735ece4e13792d189c52a4a877d4358b011e6da4e22cf1eed5f6e63ead51c9a39ade1de48f97864b64c06ec9f81a439252a4476094b0a2e140f9c0dca9719b3c3deee445b0d2cd9181d0a66564c9998fa274f195ea5a7bc0601dc632e1da0550cb67d015c5987200dc289f574f1025f80c1f8f3d5c6d33a7999a85fd0636126a51ee976d07b', '2023-12-30 09:00:00', '2023-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (7, 'root', 'ocsp', 2, 'ecdsa', '\x30820210308201b5a0030201020214121cfd8ffb9a66faae5a3f47759e9ef6218bf83a300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3236313233303039303030305a3039312a302806035504030c214f43535020524553504f4e44455220524f4f542028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004624c6a35228f20e8764b429dd46a98747ca678ddd56ce8bc0c6848018e1c4dca78c64a48415ab46dfe292cc255a5679c58cb8daa76b600d379193c9e8e78747aa3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11300f06092b060105050730010504020500301d0603551d0e041604143f641cdab76739d82a39a04326e8441a866bb612300a06082a8648ce3d0403020349003046022100fc28e6d0833eff30b3879bf564fe237d5bff5fc0e2c9c07638249aa48b055d64022100bc9322b28f40baff85a8f81b9fe8da2b1d37147b8987ec7fd064a4466fd0ed86', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c30240410d5e052141233f412ee903ca0320b218502020800300c06082a864886f70d02090500301d060960864801650304012a0410a8ab1a6a1c266a53f0c9e70a181825cc048190ed146f5cd9823bc122416aae9d5de6d782bd4c82476ddeb96e4cc674ceb21e5837b6a80859f370f5521bfe6b4ecb8ec77fbdb7876c49be1891821ecc519c9b59e973552f80cf082f8a7769d303d2dbb242d26b03543be7155316cc91ab2ea7b6870eda0a6fbaaa25760c0f932826563614e5aaae3c695330fa81253cb39e9e7b4cd79ff69d4fb1f26c434a9a21c21fa8', '2026-12-30 09:00:00', '2026-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (8, 'gov', 'ocsp', 2, 'ecdsa', '\x3082022e308201d5a00302010202145e79b475db2a5fe75f4a9a4ec27025525d3e4eb5300a06082a8648ce3d040302307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3236313233303039303030305a30383129302706035504030c204f43535020524553504f4e44455220474f562028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d030107034200041fa6ece2ca8715ff6032769593add452c12d83aa45843a0b800efde04d266dd34d672b14f34318a2be3399f6e308c0df0270d0b5abfcb1c9b32662d5aef1176da3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d2304183016801427669b73cb0be4c51def2a0b5704705287bba02a300f06092b060105050730010504020500301d0603551d0e0416041424fbe8cd398ee9e93ec14d397b65fccfe5f9a547300a06082a8648ce3d040302034700304402202cfb461a82236ffb282f6c6a097cf6fdba5119028d31928f81bb7ec04f15e04702206f95f8c0560286ea7acf3649aed424f188c29e2226db844b76e6e0dbc54859b6', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c3024041051762b0e35cd4ec57816870e73d29f4a02020800300c06082a864886f70d02090500301d060960864801650304012a04103ee530ff5faa9168ac0346ca9cb722f304819046f62e58e1a0d6c3ab131e0dac8183b0318dabab46ac5c78d2290a2f5551dcd237e28ada186b8c2936f124ed8ee2643d801aa7a4412304b73c46d65eb65941dc7582ad69a0722246fd4c92b64b7d4a9370ea31bb134c990e1616110d4244654f057d2ff200423fb47dbd62ca5636c2a599949893035753e32ba4eea322472acf81c83e0785606713819d95100220b727', '2026-12-30 09:00:00', '2026-11-30 09:00:00');
INSERT INTO public.ca_keys VALUES (9, 'nca', 'ocsp', 2, 'ecdsa', '\x3082020c308201b2a00302010202145d8a9edf40539be4430a2d8d4046f843e4f4c461300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3236313233303039303030305a30383129302706035504030c204f43535020524553504f4e444552204e43412028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d0301070342000420587f7fa9fbb860123ca971943bf4585650533769268b0c97406189edad67af6e8d973ad8376bc0a8752ab79a3f8be0b99d3792fb143f0a8ff113d239c8e578a3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8300f06092b060105050730010504020500301d0603551d0e04160414d8463fcaacd94f5b853aebd3c57a7cc711e2f250300a06082a8648ce3d0403020348003045022100994ad05ac64e29010e355f4a42a1ef4789714319bbfc6eb3e2e5223291686807022070803e922d8d18f7e92321b57b003915f6f24ca8bc081eba1c82dc1f44aa2c1a', '\x3081f4305f06092a864886f70d01050d3052303106092a864886f70d01050c30240410d18bc73bdbe86e124cd171debf62290802020800300c06082a864886f70d02090500301d060960864801650304012a0410faa41e4961630015d5902406233b4f6a048190220578b46e298efd9c5dd3d187558b82f305a9fc72fd42f2c00903c4c0df099667e8b1decc45d22b66e876faa44800163621f6e8c5e1c28a30370579358b7b4301b52bd6513e6698d28abe4f5b775d66cffb7c4fa590c7f51b0bfc47e47c051acd45349b0bbd60ec6490e7274f39e8660c8fc0860a7962163fa59d9e2d6a89e05dbc6135206e09d532147df4a8f13959', '2026-12-30 09:00:00', '2026-11-30 09:00:00');


--
-- Data for Name: court_orders; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: crl_issues; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.crl_issues VALUES (1, 'root', 1, 'full', '2026-12-02 00:20:32.98041', '2026-12-03 03:20:32.98041', NULL, 0, 0, '\x308201513081f9020101300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a170d3236313230323030323033325a170d3236313230333033323033325aa06c306a300a0603551d140403020101301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11303b0603551d2e043430323030a02ea02c862a687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f645f65636473612e63726c300a06082a8648ce3d0403020347003044022041a727a752116f6c4f462c37e5452e05e2445a1d4f5811ebab55f14624fb237902204a6bdde3e71afe2d9586548bacba76e6bfe4c0376acbbb9b521c421bd3e4aadd');
INSERT INTO public.crl_issues VALUES (2, 'root', 2, 'delta', '2026-12-02 00:20:32.98041', '2026-12-02 02:20:32.98041', 1, 0, 0, '\x308201253081cb020101300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a170d3236313230323030323033325a170d3236313230323032323033325aa03e303c300a0603551d140403020102301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11300d0603551d1b0101ff0403020101300a06082a8648ce3d0403020349003046022100aefeca2e9f3e49e19445879b40f5dd48ed1204b34bf24a9c64d1abb5b2f392c1022100873f1c6133bf7706913f6f829fef853b158b28cd094a4007c6bbaf70fd7e04a4');
INSERT INTO public.crl_issues VALUES (3, 'gov', 1, 'full', '2026-12-02 00:20:32.98041', '2026-12-03 03:20:32.98041', NULL, 0, 0, '\x3082017330820119020101300a06082a8648ce3d040302307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a170d3236313230323030323033325a170d3236313230333033323033325aa06b3069300a0603551d140403020101301f0603551d2304183016801427669b73cb0be4c51def2a0b5704705287bba02a303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f676f765f645f65636473612e63726c300a06082a8648ce3d040302034800304502206587606c0b78027adb51566844fcca73c95c2f6c772ce9916f76d8bbb3b2c8f202210081dea563e99931192ba6b6f4308ab75bfd1346d777a4090b57f8ffbd31b706e9');
INSERT INTO public.crl_issues VALUES (4, 'gov', 2, 'delta', '2026-12-02 00:20:32.98041', '2026-12-02 02:20:32.98041', 1, 0, 0, '\x308201453081ec020101300a06082a8648ce3d040302307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a170d3236313230323030323033325a170d3236313230323032323033325aa03e303c300a0603551d140403020102301f0603551d2304183016801427669b73cb0be4c51def2a0b5704705287bba02a300d0603551d1b0101ff0403020101300a06082a8648ce3d0403020348003045022100873314d2af88cfc30e5366fe844f776064f5685dfc96e26be35541ccd8852f4202203401db16e2b19b343c774a75717228cc69f12c9ab624959a157992faf1039e83');
INSERT INTO public.crl_issues VALUES (5, 'nca', 1, 'full', '2026-12-02 00:20:32.98041', '2026-12-03 03:20:32.98041', NULL, 3, 3, '\x308201f330820198020101300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a170d3236313230323030323033325a170d3236313230333033323033325a30819f3033021461944623423434b55264cda7007dda7e2753b593170d3236313133303039303030305a300c300a0603551d1504030a010130330214190b60f99e5cf6a72641ebbc23b99860d1724ff6170d3236313133303039303030305a300c300a0603551d1504030a01043033021468fbc01146b3e8f127b3378d5e86ff6cd5071e9d170d3236313133303039303030305a300c300a0603551d1504030a0106a06b3069300a0603551d140403020101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c300a06082a8648ce3d0403020349003046022100dc2b16743f1893398f43b82504a108f4de4ac4362e627f85737133c9de37282d0221009b6c4ffef59df073fa3a42109bd68dfdd34d75ecf08f0140c352c5c41ee1d6de');
INSERT INTO public.crl_issues VALUES (6, 'nca', 2, 'delta', '2026-12-02 00:20:32.98041', '2026-12-02 02:20:32.98041', 1, 3, 0, '\x308201223081c9020101300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a170d3236313230323030323033325a170d3236313230323032323033325aa03e303c300a0603551d140403020102301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8300d0603551d1b0101ff0403020101300a06082a8648ce3d0403020348003045022100a7b09c6b6a54dedc6c4afdf46d22e6ac7802ed9ce6799ac52d90c0808ebc90af02201331d5473543a36fc6a872bd2a3aa92efcf7374ce5ac293c0fe245d4589839e7');


--
-- Data for Name: issued_certificates; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.issued_certificates VALUES (1, 'root', '3263400afd229ce3cec3e65a36e7b0add290209e', NULL, 'ca', 'МЕМЛЕКЕТТІК ОРГАНДАРДЫҢ КУӘЛАНДЫРУШЫ ОРТАЛЫҒЫ (ECDSA) (SIM)', '2023-11-30 09:00:00', '2030-11-30 09:00:00', '2023-11-30 09:00:00', '\x3082036b30820312a00302010202143263400afd229ce3cec3e65a36e7b0add290209e300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3330313133303039303030305a307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d030107034200049a0658ee25a4cc2a6895190419a766adbfa0f21cf3b9848b295de5137abddd78e1352ecbd53c452aa49c08d0f5e1fae113571f418d96033d3ee622334555b654a382018f3082018b30120603551d130101ff040830060101ff020100300e0603551d0f0101ff040403020106301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11303d0603551d2004363034303206072a830e030301013027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330390603551d1f04323030302ea02ca02a8628687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f65636473612e63726c303b0603551d2e043430323030a02ea02c862a687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f645f65636473612e63726c306e06082b0601050507010104623060303506082b060105050730028629687474703a2f2f3132372e302e302e313a383038302f636572742f726f6f745f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301d0603551d0e0416041427669b73cb0be4c51def2a0b5704705287bba02a300a06082a8648ce3d040302034700304402204b7194c0600aac1e6b18460d915a0e4c0e9be3ceab581832cec8f2e253f0c035022062926a47fff1625c0b0d50fa2f1616902cf58113c3f009271df3b6e43790e201');
INSERT INTO public.issued_certificates VALUES (2, 'root', '10a5ec10b8d0bf4eff9b42db62c1d87be58e6ed3', NULL, 'ca', 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (ECDSA) (SIM)', '2023-11-30 09:00:00', '2030-11-30 09:00:00', '2023-11-30 09:00:00', '\x30820349308202efa003020102021410a5ec10b8d0bf4eff9b42db62c1d87be58e6ed3300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3330313133303039303030305a305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004fe8e821b4e98c6515ee9d8228c61ed80630bafd4f7264578f6f000d16991402b8f2cab342a60c33fc13215a68b62c477e02c18efd98e9f3f7d4e116014ea07a1a382018f3082018b30120603551d130101ff040830060101ff020100300e0603551d0f0101ff040403020106301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11303d0603551d2004363034303206072a830e030301013027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330390603551d1f04323030302ea02ca02a8628687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f65636473612e63726c303b0603551d2e043430323030a02ea02c862a687474703a2f2f3132372e302e302e313a383038302f63726c2f726f6f745f645f65636473612e63726c306e06082b0601050507010104623060303506082b060105050730028629687474703a2f2f3132372e302e302e313a383038302f636572742f726f6f745f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301d0603551d0e04160414fd4c7ac9351c96245f26e0b35b605643e863f6b8300a06082a8648ce3d0403020348003045022100c63f8991fc413480d0acd4e76158b8992772155c9c4352ade0d935647d7279a40220579963edfc71c99bc395203224f54b3506dd79a778cad021651f42db4d157fe5');
INSERT INTO public.issued_certificates VALUES (3, 'root', '59a07d9753d5c0930523c1b893b47fc7a173aee2', NULL, 'ocsp_responder', 'OCSP RESPONDER ROOT (ECDSA) (SIM)', '2023-11-30 09:00:00', '2023-12-30 09:00:00', '2023-11-30 09:00:00', '\x3082020f308201b5a003020102021459a07d9753d5c0930523c1b893b47fc7a173aee2300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3233313233303039303030305a3039312a302806035504030c214f43535020524553504f4e44455220524f4f542028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004272fc148b98182d7fa5fb4b3ab874eb726e71a528b81316f3a473da182ee3e5db13c18b375c29b9ae414f6ba8b788571d43ebfc7bb89aa436708986e29f0669da3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11300f06092b060105050730010504020500301d0603551d0e04160414835f2ccf85500e6e9bef0aa971021ab718d834af300a06082a8648ce3d0403020348003045022100cc867bdfbaf6dd8b865c166c5913f4adae0d55a2ef809c502eb9e6fef00d2f7e022070540eff5caeab74e1a5d36640bfc2fbc4792265ed8c208bc3b44cb04331ccc3');
INSERT INTO public.issued_certificates VALUES (4, 'gov', '5f21c44629ab896c10ca50cc2f2b057cc2891fd1', NULL, 'ocsp_responder', 'OCSP RESPONDER GOV (ECDSA) (SIM)', '2023-11-30 09:00:00', '2023-12-30 09:00:00', '2023-11-30 09:00:00', '\x3082022f308201d5a00302010202145f21c44629ab896c10ca50cc2f2b057cc2891fd1300a06082a8648ce3d040302307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3233313233303039303030305a30383129302706035504030c204f43535020524553504f4e44455220474f562028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d030107034200041338f4e8308abc55d491d069c6e3e48ed9bea6f32f70038a9fcb6161d1952d80a950877d734287980687fd23323608f468fe94be72cd797415aa52407bbc6d30a3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d2304183016801427669b73cb0be4c51def2a0b5704705287bba02a300f06092b060105050730010504020500301d0603551d0e041604145d0e41ec73d25b1ff53825243414b9f4c56bb998300a06082a8648ce3d04030203480030450220390bd3ebf374ac01d128a862f1d53ed620e3eef27999dd532fc04d48b32a0c99022100ea706dbb9aad2417c46977eedb20bbedae6758ad580ed73876f62845d8c13296');
INSERT INTO public.issued_certificates VALUES (5, 'nca', '437c8f042c15568139f3c5f18447a5092b7283d9', NULL, 'ocsp_responder', 'OCSP RESPONDER NCA (ECDSA) (SIM)', '2023-11-30 09:00:00', '2023-12-30 09:00:00', '2023-11-30 09:00:00', '\x3082020b308201b2a0030201020214437c8f042c15568139f3c5f18447a5092b7283d9300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3233313133303039303030305a170d3233313233303039303030305a30383129302706035504030c204f43535020524553504f4e444552204e43412028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004209bf45a1bfa05029af91755b935a6fc48c91059ad55b1ee943f30b5cd7931bf01cb2eb149eb4649a01c79c9a3d22cf3e211ea53db806b3584e97a37648db6e9a3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8300f06092b060105050730010504020500301d0603551d0e04160414d7caf3974ca53f29961e7e70bd47f7085d904c63300a06082a8648ce3d040302034700304402201a35f1214421139c40c3860e3c762ed8bc40f322024e6fd264ed82227753037f022026fbd193da940a645673a0e55a6f16d3aae911ba80d319954b002aca13780a30');
INSERT INTO public.issued_certificates VALUES (6, 'root', '121cfd8ffb9a66faae5a3f47759e9ef6218bf83a', NULL, 'ocsp_responder', 'OCSP RESPONDER ROOT (ECDSA) (SIM)', '2026-11-30 09:00:00', '2026-12-30 09:00:00', '2026-11-30 09:00:00', '\x30820210308201b5a0030201020214121cfd8ffb9a66faae5a3f47759e9ef6218bf83a300a06082a8648ce3d040302305c314d304b06035504030c44d09dd095d093d086d097d093d08620d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3236313233303039303030305a3039312a302806035504030c214f43535020524553504f4e44455220524f4f542028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d03010703420004624c6a35228f20e8764b429dd46a98747ca678ddd56ce8bc0c6848018e1c4dca78c64a48415ab46dfe292cc255a5679c58cb8daa76b600d379193c9e8e78747aa3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d230418301680145200b6f8000843f8272ce70d93046069b2862c11300f06092b060105050730010504020500301d0603551d0e041604143f641cdab76739d82a39a04326e8441a866bb612300a06082a8648ce3d0403020349003046022100fc28e6d0833eff30b3879bf564fe237d5bff5fc0e2c9c07638249aa48b055d64022100bc9322b28f40baff85a8f81b9fe8da2b1d37147b8987ec7fd064a4466fd0ed86');
INSERT INTO public.issued_certificates VALUES (7, 'gov', '5e79b475db2a5fe75f4a9a4ec27025525d3e4eb5', NULL, 'ocsp_responder', 'OCSP RESPONDER GOV (ECDSA) (SIM)', '2026-11-30 09:00:00', '2026-12-30 09:00:00', '2026-11-30 09:00:00', '\x3082022e308201d5a00302010202145e79b475db2a5fe75f4a9a4ec27025525d3e4eb5300a06082a8648ce3d040302307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3236313233303039303030305a30383129302706035504030c204f43535020524553504f4e44455220474f562028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d030107034200041fa6ece2ca8715ff6032769593add452c12d83aa45843a0b800efde04d266dd34d672b14f34318a2be3399f6e308c0df0270d0b5abfcb1c9b32662d5aef1176da3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d2304183016801427669b73cb0be4c51def2a0b5704705287bba02a300f06092b060105050730010504020500301d0603551d0e0416041424fbe8cd398ee9e93ec14d397b65fccfe5f9a547300a06082a8648ce3d040302034700304402202cfb461a82236ffb282f6c6a097cf6fdba5119028d31928f81bb7ec04f15e04702206f95f8c0560286ea7acf3649aed424f188c29e2226db844b76e6e0dbc54859b6');
INSERT INTO public.issued_certificates VALUES (8, 'nca', '5d8a9edf40539be4430a2d8d4046f843e4f4c461', NULL, 'ocsp_responder', 'OCSP RESPONDER NCA (ECDSA) (SIM)', '2026-11-30 09:00:00', '2026-12-30 09:00:00', '2026-11-30 09:00:00', '\x3082020c308201b2a00302010202145d8a9edf40539be4430a2d8d4046f843e4f4c461300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3236313233303039303030305a30383129302706035504030c204f43535020524553504f4e444552204e43412028454344534129202853494d29310b3009060355040613024b5a3059301306072a8648ce3d020106082a8648ce3d0301070342000420587f7fa9fbb860123ca971943bf4585650533769268b0c97406189edad67af6e8d973ad8376bc0a8752ab79a3f8be0b99d3792fb143f0a8ff113d239c8e578a3783076300e0603551d0f0101ff04040302078030130603551d25040c300a06082b06010505070309301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8300f06092b060105050730010504020500301d0603551d0e04160414d8463fcaacd94f5b853aebd3c57a7cc711e2f250300a06082a8648ce3d0403020348003045022100994ad05ac64e29010e355f4a42a1ef4789714319bbfc6eb3e2e5223291686807022070803e922d8d18f7e92321b57b003915f6f24ca8bc081eba1c82dc1f44aa2c1a');
INSERT INTO public.issued_certificates VALUES (9, 'nca', '5a6a915234fed727fd3b56584f40f6bb5f631678', '850412310003', 'individual_auth', 'ТЕСТОВ АЙДАР', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x30820459308203fea00302010202145a6a915234fed727fd3b56584f40f6bb5f631678300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a307b3120301e06035504030c17d0a2d095d0a1d0a2d09ed09220d090d099d094d090d0a03115301306035504040c0cd0a2d095d0a1d0a2d09ed092311830160603550405130f49494e383530343132333130303033310b3009060355040613024b5a31193017060355042a0c10d0a1d095d0a0d086d09ad2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100b594c44da8a560ef4abd450eb9df1f17422b87ceb38c50311a301820626043408eb9ff4b6255a9835ad71549e7f19b738739b7bdc0e9fe40e2fe89f6703322eb81d597f58fc4d220a6e334e04cd5e4aa138deb3f929f6f304aec667421a1864768f796434a6aa600baf977719815145fac833fb5e8404c05120f34571e7d95146bebe2ab2b7e5c326ce5d35d07192bd65b2884de9287f777f54cb1073f111f6ad6120f0d5caefcf38fa130ff9efba98fc6511e7b1b6b7314aecb98b951241c66e225e0a25a377fd27b885c18f0edbaf66565354bf2287619c032fe296ffa1df418b16f680d3702e22ed563afb1c05eedaea3a419988bb027b26c2482d06902e30203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e041604144b87b596d68e252c99fb72eff94a31073f219ced300a06082a8648ce3d0403020349003046022100e333ab7ee47676a0becaedb11ad53795ea4bbcd3c06deb1e973d892102b970ab022100daf9ffd9088345b60e5140be8592c7483afda57ee699730b17d0d36118b5f537');
INSERT INTO public.issued_certificates VALUES (10, 'nca', '7a24a3f774f02cb175d3d51d39495037dceb0db0', '900903410378', 'individual_sign', 'ТЕСТОВА ДИНАРА', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046230820407a00302010202147a24a3f774f02cb175d3d51d39495037dceb0db0300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081833124302206035504030c1bd0a2d095d0a1d0a2d09ed092d09020d094d098d09dd090d0a0d0903117301506035504040c0ed0a2d095d0a1d0a2d09ed092d090311830160603550405130f49494e393030393033343130333738310b3009060355040613024b5a311b3019060355042a0c12d095d0a0d09bd090d09dd29ad0abd097d0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100cf5f9e98c49e12da86b3c91ab0bbfc384875a15064670ca14eca9789bf1ac010fd5ab32575409c48410599729959c2bb360cae5824c42e54cc63a5afb6de9b77bc022895d0239f908f2125e7cb08151dc6f467656d8e4a914341755c38e09c690e5f703f3a83a1f9f73fec14cd7f7bb15ebe6fffd00f0dd348dbf35748af1cdca951f224d27c99813d6b63a6e5918f78bec1d3ba455a8b897ad47da773a681c6c3f81608ba41ecd368ce5b3ba8be3f26877994436532cf67dbf467277dc71d881ef3dacc90888363be9a46ba40e53517fe7b01101aaa6b95366ea3d99aafefc64ef560a9c4da9f914e20cd944f625d099a475dfcd4707c6c742c90ad39082b390203010001a38201b4308201b0300e0603551d0f0101ff0404030206c0301d0603551d250416301406082b0601050507030406082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302033027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414f6ea701f94fffb471eeb95e565fb063370e83c1c300a06082a8648ce3d0403020349003046022100f4aecfd40c1b8858cbfc191a2f55a5ec732f889be91f09ec7253c394d6f46e45022100aa0211f709aa85e478bb365dc6093dbbc841bfb47716445949b37e12725aa557');
INSERT INTO public.issued_certificates VALUES (11, 'nca', '7910e1eab89ddabbfb6880c539ab5e9e56a92b79', '780130310749', 'individual_single_key', 'ЖАҚСЫЛЫҚОВ НҰРЛАН', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046b30820410a00302010202147910e1eab89ddabbfb6880c539ab5e9e56a92b79300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a30818d312a302806035504030c21d096d090d29ad0a1d0abd09bd0abd29ad09ed09220d09dd2b0d0a0d09bd090d09d311d301b06035504040c14d096d090d29ad0a1d0abd09bd0abd29ad09ed092311830160603550405130f49494e373830313330333130373439310b3009060355040613024b5a31193017060355042a0c10d091d09ed09bd090d0a2d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a02820101009d8ab50e61a91e40afa6c8af127d08746f2ef74b4efcb7374e2efbf98d670d7355847309f6714e6a7a0dc3187da32f4157146dd02f67f24f1d5eebc8cbd68e0bf23039c332185e2361f4b83a2717f708e6167aed21f06b6cc69bd558717c8bae8d05d38bb84d42fc3aa219201979c69e99ca1c536a04a0c236bee4243cebac2767773abe9be843498a6a10eb67e3aec382ec8420915dc8c1892acccd5ec25c14abd06b0e8bef4c0b22aeec8b961511b52accd799ae5d163a249d56fabb9696255c0d83b88513b5d6cc90c3d201e9d44ee1218c362deea0c173b9a220de48bb08680e8f5987f8aa645dfe6bb2179651038c2d94e138513cebb66fa09173697ce50203010001a38201b3308201af300e0603551d0f0101ff0404030203c8301d0603551d250416301406082b0601050507030406082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303c0603551d2004353033303106062a830e0303023027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e041604140d72f3d49c7bffffbc48c854b8b97fbe12d66c6c300a06082a8648ce3d0403020349003046022100d65b3d12059dd8d49f1128f25b9c6885142a75d618c23117a96b31549d1caf690221008de0dca89e87ad7b9c4cb7730ebbc4d886d5df93bf4fb13a577e939ae26bb438');
INSERT INTO public.issued_certificates VALUES (12, 'nca', '4eae5442fff0f37c7c568285b6bd2b64b85b005b', '931121411115', 'individual_auth', 'ОМАРОВА ГҮЛНАР', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308203983082033ea00302010202144eae5442fff0f37c7c568285b6bd2b64b85b005b300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081853124302206035504030c1bd09ed09cd090d0a0d09ed092d09020d093d2aed09bd09dd090d0a03117301506035504040c0ed09ed09cd090d0a0d09ed092d090311830160603550405130f49494e393331313231343131313135310b3009060355040613024b5a311d301b060355042a0c14d0a2d090d09bd292d090d0a2d29ad0abd097d0ab3059301306072a8648ce3d020106082a8648ce3d03010703420004a625b48419f162f2ab9b40d96b7d948aa72da3e26b17c82a89fadc5f8cedd8e9ff7e590a515074e3f6f72ce9155aa0e18e6151988ff947ba18c14c8d7d1d1b64a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e0416041425cfd852e12b3858bac3b7d35a54c6355b048a2f300a06082a8648ce3d040302034800304502207a047d766e27a8e002732adc60fe14e1553b91a6be1ada441b4ca09e4ebee66702210094327c2add9438cee50d4f2a2d5cca2c8b9b095dd3265c0a89d3f60bb82e394e');
INSERT INTO public.issued_certificates VALUES (13, 'nca', '384a3403e0be280fc9317007d8b8861eaba31ee5', '880615411483', 'individual_auth', 'ӨМІРҒАЛИЕВА ӘЙГҮЛ-ЖАҢЫЛ', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082048030820426a0030201020214384a3403e0be280fc9317007d8b8861eaba31ee5300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081a23135303306035504030c2cd3a8d09cd086d0a0d292d090d09bd098d095d092d09020d398d099d093d2aed09b2dd096d090d2a2d0abd09b311f301d06035504040c16d3a8d09cd086d0a0d292d090d09bd098d095d092d090311830160603550405130f49494e383830363135343131343833310b3009060355040613024b5a3121301f060355042a0c18d0a8d090d2bad09cd2b0d0a0d090d0a2d29ad0abd097d0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100b076e8d28d9909a6b6b033cac4fcf5a6e784cf1d08cb57ea2978a5bad3ba1c33103de8e5c32bf994e69c6b2f5a5b28e49f31aa46c7ee7dfd5b8d386595f7a27c29c57f48dcbb26140b2052c75dae505b973435eb128cbe543780bc999430e798389fe22aad81a1075997d7c900dbb93d3e2d34e26d6197f4aaa1c699a4f7e25cd51464d903281215b974d6290a213f94e9df545a3cb3b3a2e8184f9f4af8231f35995cbc106268cb383391a198a1eb28f8745a953251700c10d0db753b2acda5be759778177f3f4b7373487a8ef66638e252ac1e11f6315cb14216184e9c05605eb34ff01ddf6d42eceff5f55f72b57b8ce0de5eedd0384066b5ac42fe628a710203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414cc92dcaac291417a003d0e282d174f163218e6e2300a06082a8648ce3d0403020348003045022100c7a3b044ab656b7c99893b01db9c2c7102a838786b9144b2609ed9b169c99ed602203080b2e83e3a7cfb59a1ff1416c4a5b12d7cd7be54b7f715977d46efe1d8d4f5');
INSERT INTO public.issued_certificates VALUES (14, 'nca', '26fc871e901e360b2cb67e92a19bb09e4985b719', '110822511852', 'individual_auth', 'КІШІБАЕВ АРМАН', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046230820409a003020102021426fc871e901e360b2cb67e92a19bb09e4985b719300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081853124302206035504030c1bd09ad086d0a8d086d091d090d095d09220d090d0a0d09cd090d09d3119301706035504040c10d09ad086d0a8d086d091d090d095d092311830160603550405130f49494e313130383232353131383532310b3009060355040613024b5a311b3019060355042a0c12d094d398d0a3d09bd095d0a2d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100a7308dbcd534ebe68486f132cd19137f05182d8989e98d3accc3f37ef3d72de9432076b14d299c62fff62eb8483e2c172bd66836d5ddf07aa133149115459e9d319225ee3e6b6b02ae9015b9641e8f1b8d76cc43c56ad2c06ffb2e82a87f37292222f4b3e8d8e713daea3c596f637605d7c4069f2928587292ff20de362966134f079739331669ec07554d2e231b3fb1f935d8b6c7d4a6802640d2ee72edebbfeb7e9dc4094d5f341624f29bbdeb5a25d093ea4b36ace46a7ec2a09e6ddcb1b1de532e8915e28ac92bc6030cd1b74e3ed9e9f9835c67ef657145391c08d9dd96161527a1d2f302ec9e388bd27f3496aed9ff01294847c354fc3366e365aa9c5d0203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414708754e2efb84f5023301feccf81e25c912715cf300a06082a8648ce3d040302034700304402204e53e9067331cf61d17d5795dcb544a06285cf6a42802a14a19dfa958f35005c0220127281ff96b255bfc48381e94c4fc3224425a5209b28f4a45967b1da4c8dec21');
INSERT INTO public.issued_certificates VALUES (15, 'nca', '3815f1810c20d2bf0c2e45aec19b21ff44f3015b', '101130612221', 'individual_auth', 'ЖАСОВА АЙЗЕРЕ', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046030820405a00302010202143815f1810c20d2bf0c2e45aec19b21ff44f3015b300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081813122302006035504030c19d096d090d0a1d09ed092d09020d090d099d097d095d0a0d0953115301306035504040c0cd096d090d0a1d09ed092d090311830160603550405130f49494e313031313330363132323231310b3009060355040613024b5a311d301b060355042a0c14d09dd2b0d0a0d09bd090d09dd29ad0abd097d0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100c3e15efdf5cda63568223f9259d1ebce962957c950b200b96244e393b2af3456690a843e71d85d8a6ffb35114bf1eee9ca4c21e180fa8f31c572ff3a0cec1268cb8321031d3c5acb54f64f625d1c020f6ddf3748f2b43c3257808b16b2a40dc19a61f670ca0f0f4ff6bd624ed9141a533685fb6492e37884043d83a06e9b1be3a1c790f4fd773f219baf3281f1ab149a79f03ad3f25147797155cbd536c62ca1a81536a805dd04b22df53e6a9ef6f798a715a633ac5050634a59c5c2240cdb294858dc4dc61fa6675f16beca7ae283ff8fae013f692d6aa8761c5092e7f3605cc29359765a83c3abe56332f115cc41485b102a1fa42727b0bfec87228a047d890203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e041604148667cc1842c622bbc7ac456ac7ffa6f5bfd6ae2f300a06082a8648ce3d0403020349003046022100e84cdeea1d6726fcb960626849cf590a1b6bfd61b95525c0ae20e3c37e8046fa0221009f440be90bc4cf3cf056bb104c8161cf3d9ca8214506fdf4d45956a0a549c6fb');
INSERT INTO public.issued_certificates VALUES (16, 'nca', '6900030775cb8f61f080416e57706c6f94403db2', '101201512598', 'individual_auth', 'ЕРТЕҢОВ ТИМУР', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082045c30820402a00302010202146900030775cb8f61f080416e57706c6f94403db2300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a307f3122302006035504030c19d095d0a0d0a2d095d2a2d09ed09220d0a2d098d09cd0a3d0a03117301506035504040c0ed095d0a0d0a2d095d2a2d09ed092311830160603550405130f49494e313031323031353132353938310b3009060355040613024b5a31193017060355042a0c10d090d0a1d29ad090d0a0d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100939f3048be8dd409c9fae1ae9c11266ad8fd973a4750212d3536a4189b0d931ab29c5f404edd6111df2c98d86a062f91d93dbb79fdeb41b3c880c96edba9f60f31cd1bb0ff3755b8d2f0014bc66fd8e0e5ca18f6e6a268d7083d0118458a091e14f6b7eda84e36fb75385667949b51cdaa5f694baa266320474ad687deb12d63987b73eeb8524d94c7c3b3cd6498ce854ac16d29635fefe3f820dcbd2d6016e58e9d146bbd1c6039e138c3883e87aebb9b53f2a8a1864d3788d16bd552c4287958e2e3f65978660230de0dc257c7999f450c96b03194d1f047baab4be2f36056a674f6bea7afdb65892099e579cb64fa995930637842c026626a52003bb161f90203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414b7b4c7b477b22513db7c184268facb8f736c4aec300a06082a8648ce3d0403020348003045022100caac50c7bb4b48ccd93d314e62109c870cb92e5057636f05172d953dd1c77f1e022054402b2a5a5575bb38aa7d5041e04d2873af1eea3117ed9ed1f45a70190c0c60');
INSERT INTO public.issued_certificates VALUES (17, 'nca', '79c002cab1775b848ab23f82cd57e8b08b76c88f', '820214312960', 'individual_auth', 'ҚАТЕОВ БЕРІК', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x30820457308203fea003020102021479c002cab1775b848ab23f82cd57e8b08b76c88f300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a307b3120301e06035504030c17d29ad090d0a2d095d09ed09220d091d095d0a0d086d09a3115301306035504040c0cd29ad090d0a2d095d09ed092311830160603550405130f49494e383230323134333132393630310b3009060355040613024b5a31193017060355042a0c10d0a1d090d09cd090d0a2d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100bdd2637997f339ba1f54f5c6c5af26b7f5e2414e81010935a9bffa5ca5c2ce8340214ff32517c856f8c56c6fd8b6b8cc24939ac79a5bd70bd1eeb4e8e118275d74f4a7a84761d3e480700e08fcecaec9dc85aa5c63475b1b77615e9d4f495f3a66f570963789fb44a149035a36ebac772ae858c3694892a31dc6a0cfea0bb55976a7c67434f3c3683882e2ad7252c82bd5be49d07c0c3b680b0bd151765e28f077c70c5f8fcdec01fe619f1c92bdf8dad689fd7fa3dabb7eae70011e2831b140c1b4b43373851f8e1c8f7aeeefd000a7c5e0e8e78c6ece09a6da781faa385d38c4e3f0b5097a74bf492342e7c4e9668ce780b34dca348dccf4485f9a7cf46c470203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e041604144aad1a4f2b84802583a5d03d6fe6661b9a5590de300a06082a8648ce3d04030203470030440220612557b7950fcf9d66dc1b4f3427ba8e4e5f407213bfb1911c7fbaf4e342014a022008df69915ea18d140039c00f9f4e649860c65230508ce50bc003a3fa9118ec58');
INSERT INTO public.issued_certificates VALUES (18, 'nca', '1e21e67b79233e51aa261828a6a2f2448bd5d4dd', '750808313337', 'individual_auth', 'ЕСКІБАЕВ ҚАНАТ', '2025-10-30 09:00:00', '2028-10-30 09:00:00', '2026-11-30 09:00:00', '\x3082045b30820400a00302010202141e21e67b79233e51aa261828a6a2f2448bd5d4dd300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3235313033303039303030305a170d3238313033303039303030305a3081853124302206035504030c1bd095d0a1d09ad086d091d090d095d09220d29ad090d09dd090d0a23119301706035504040c10d095d0a1d09ad086d091d090d095d092311830160603550405130f49494e373530383038333133333337310b3009060355040613024b5a311b3019060355042a0c12d096d09ed09cd090d0a0d0a2d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100c5ec5cba9793fcf0a88a09d1e8e1382c1dd26d2a4dee06b1c57a9cc386530a32700a806be1aebb9ad6e9a659a78b5c4308201515d976c7c78dcd87fec4f964b6c34e16a5db8a5a36335125659cde6583868dc265c6d01a0fc3fdd8d6f972189691753a722f5b97fc2f3c88e27e50e420177a3361e6b8c6c710baec3c1b960cebecb6403d6fa7bc623ed672be5395c1f1f9394ea5110985cf8b646a59fa49af512ca041abb37d175f74d4a7b86eaf3ce51fa29d853fd82736f667c6ba87ea5284807b40661f77d1874f2ca8d305b37c061d1252cff920599e7ba8992f43a1d1c3ee7bea67aa80acb2932029b0d509c2b792aff7f9a649de45c1a88b95638d20550203010001a38201ab308201a7300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301206072a830e0303050104070c05746f6b656e301d0603551d0e04160414172b0a05b1536e760c7982139686d1e80d5c025c300a06082a8648ce3d0403020349003046022100ee59181757a2e68566710b1fcb9d745671c5bc2d63d02f80aefe7c8be4980e4a022100959f40cac6dae0b1a28513f70c13faa636fd90fd3e02800213b5e8abb1799669');
INSERT INTO public.issued_certificates VALUES (19, 'nca', '5a13dea00473eaf72befb865069b0d275dcf197c', '840319313704', 'individual_auth', 'МЕРЗІМОВ ДАНИЯР', '2024-11-30 09:00:00', '2025-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046330820409a00302010202145a13dea00473eaf72befb865069b0d275dcf197c300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3234313133303039303030305a170d3235313133303039303030305a3081853126302406035504030c1dd09cd095d0a0d097d086d09cd09ed09220d094d090d09dd098d0afd0a03119301706035504040c10d09cd095d0a0d097d086d09cd09ed092311830160603550405130f49494e383430333139333133373034310b3009060355040613024b5a31193017060355042a0c10d292d090d09bd0abd09cd2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100c5dfd09baaac76c5e972d5d954238ba0aea472038b606ffd3d3346ec488b64b9baa5bcd9fb965311bb73b5b94c4f0bb3c0a99bf65bf1a7476a524fa50ddc95d5543afb57365a3295f95ba32509ab986619ee682e2c5e6eb4e7520defb6eae9955668d2f5aa0913b1f1a2bfc9ed6f438633d531bee8581353d027071959df8359bba3e6713090cd1eef0ee82f79922cf711971667a6a835ab6b67eed41878aa1bdfd18bda26b98d1c60ec158216ba32f4c3e8e4d34606bc9b090ddb10615183e8de8d5875df36b41e9cb2e1fb5afd20d222f198e5d40389f67cad29410ed5e7d7d4fe3fb5433eadf1398b4d98e88d8816b254dd66e927bd7f7d746acd28db87890203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414d1623b1a78a66cf073e098ba651a20b8b1f6fd37300a06082a8648ce3d0403020348003045022100f5b7bdbc5c06687e231e34c2cd63984544c32360bf0fed8e291f7b146d4f6fe102207c3fb502b05eec1ee7545cbd8e0a6ea764be74ff2b49e99a7b6ffb9501e51868');
INSERT INTO public.issued_certificates VALUES (20, 'nca', '736c870abeb881ceb3d35657fe9e10c823b3d759', '911201414071', 'individual_auth', 'БОЛАШАҚОВА САУЛЕ', '2026-12-30 09:00:00', '2027-12-30 09:00:00', '2026-11-30 09:00:00', '\x3082046b30820411a0030201020214736c870abeb881ceb3d35657fe9e10c823b3d759300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313233303039303030305a170d3237313233303039303030305a30818d3128302606035504030c1fd091d09ed09bd090d0a8d090d29ad09ed092d09020d0a1d090d0a3d09bd095311d301b06035504040c14d091d09ed09bd090d0a8d090d29ad09ed092d090311830160603550405130f49494e393131323031343134303731310b3009060355040613024b5a311b3019060355042a0c12d09cd090d0a0d090d0a2d29ad0abd097d0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100b7a11469c7d7e9f30a95c9a648e9a9a12198bdf684891b8a4dd0c446a99eac749e39a9ea193b680f028e44bbd0a834b027af9ce93c3e044fb715c97d4fb3025cf16a2766c8f64a18090321ddc93e1ac36816cd8e053defd1b925dd73b9fe59d46c9dd11ac7b932a68dbe3deebe591ce17fbfacee9b92d158838e9143f6e443971900edff6d5293e9f9a87f128beb30f80701ffa7d93d17a868170453008d28f9c8b7f690a1d38dd680d5c87f04fd24a722386a7178f77d02678fbe3640e2460dd58b237001e5870d699210fd1e5e8c899f294320d44f686ff10acb5d21e38ae8a8e3d6fb0d64db7dc0c1664e3ef8e2027564b08089504b458a5ae2bae8a9b3890203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414869f054961162c4d2ceb465464fdc1b5a9cb1156300a06082a8648ce3d040302034800304502206dd36c886ed25f5663f393ceb55d40a07ebda23483887543236425cdbf1eb3860221009cd41371d81393364bc374b7dce8cdc2399ba0ca964726832e3ba4600e4c9d30');
INSERT INTO public.issued_certificates VALUES (21, 'nca', '61944623423434b55264cda7007dda7e2753b593', '800527314449', 'individual_auth', 'ҰРЛАНОВ ЕРЖАН', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046030820405a003020102021461944623423434b55264cda7007dda7e2753b593300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081813122302006035504030c19d2b0d0a0d09bd090d09dd09ed09220d095d0a0d096d090d09d3117301506035504040c0ed2b0d0a0d09bd090d09dd09ed092311830160603550405130f49494e383030353237333134343439310b3009060355040613024b5a311b3019060355042a0c12d29ad090d099d0a0d090d0a2d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100cd1a370abbc36fd981a481fbf88803a4c4d979819a93a3d15d3f2bc6e0bed29e90ba5508b24517c8f1a1c1d0293863a27edd36b5e14da7a54a3a8b571e8931501e062a2caca1f9a7b7aa5b21426643499cb4050181e97b33745790169bb3b56ac3bdab0e4e33fe80df2520944045e630bddda59ac83ebd802b3110783eaf5f45f2be003f5b230bec4859f7ca70b4261aa9e147b48d10cf7114da6d64125c832d5c00a948bedc0072e765a85b3e2a0936d2308a4947075468fda6b3ee43e38a670bf3b37dbda676cd4b8e8f92c809f0e41a66dcac7882569bc65f38b50743fca5c33b5459ff111edbaefab387267e9fc479985c709d90b753bdcf39bf656414e70203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e041604141db90d5d3ab3916526ab9ca13e92eba0c0bae483300a06082a8648ce3d04030203490030460221008f920ebd21111725c64e84601db268a1e3bb98cfb7cc9121fbdd246998516570022100870bc14c589d1506cd81555b212ef6930223db3bd2e7c42b49a03873e49796ec');
INSERT INTO public.issued_certificates VALUES (22, 'nca', '190b60f99e5cf6a72641ebbc23b99860d1724ff6', '871009414810', 'individual_auth', 'ЕСКІФАМИЛИЯ ЖАНАР', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046d30820413a0030201020214190b60f99e5cf6a72641ebbc23b99860d1724ff6300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a30818f312a302806035504030c21d095d0a1d09ad086d0a4d090d09cd098d09bd098d0af20d096d090d09dd090d0a0311f301d06035504040c16d095d0a1d09ad086d0a4d090d09cd098d09bd098d0af311830160603550405130f49494e383731303039343134383130310b3009060355040613024b5a31193017060355042a0c10d09ed0a0d090d097d29ad0abd097d0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100a0557009977cecdacecdb5362f21c3cacd6bb34f8bc04c85506d639af3bc647900163b6211a50c65b1a340d55742a79b62b1609c78659f208e8db04e9b709dc64620086675d610a5144e02fce9397840b9379df0714f6ba2cc218b54fc505f7126efd8d036ec67fc67138cc39b87e5be85dbcf4b80c8293fcaeb55cb93a8e2b221da3ce09be9032076348c153c67339dcde13e4ad7f521c7b0d3d41aaab17b6e827a1b290874a274c62e1bb10ef2210ac163669001c79895f008a493bd7bc746236acade0ad5239208ab0b547c0d6a1d752c4cb914783ce4561c8c28377878eba2e39e1552e534b13f30a40ec1e107c52a0376de75c17d2a49865d5603b5d2ef0203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e041604146adeebf13c565d241b728f123a476cdbadf75ab3300a06082a8648ce3d0403020348003045022037defe8278b765cba9f925d12e8a7e023806db3ac83883c18ba5d827fabcc201022100bd1901506603d6d0408d26525246cf506250b8c6a8fe65a10f537736fa43a676');
INSERT INTO public.issued_certificates VALUES (23, 'nca', '68fbc01146b3e8f127b3378d5e86ff6cd5071e9d', '790704315187', 'individual_auth', 'ТОҚТАТОВ РУСЛАН', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308204643082040ba003020102021468fbc01146b3e8f127b3378d5e86ff6cd5071e9d300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081873126302406035504030c1dd0a2d09ed29ad0a2d090d0a2d09ed09220d0a0d0a3d0a1d09bd090d09d3119301706035504040c10d0a2d09ed29ad0a2d090d0a2d09ed092311830160603550405130f49494e373930373034333135313837310b3009060355040613024b5a311b3019060355042a0c12d398d09bd086d091d095d09ad2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100a024ade9cb9cc5375f72ad48d97d7dc757a111e985acdaea49963acf0b2469f3330b93eb06ebe9e21f718b6418cfd034d3bec74dc5f97c4b8f44789bcec237218793ddadde575b1d4ac3e178a94fc7b8d9dcac3c2c3f71a761290a23435c2d3f9c4c25ab8cfbcf0fac0665813b82ae95b5fc427736772887a76913dd2c1edc13ca2068ec4d61fad1dca810fa799804adfda3fb82059af37469ad4fd2b851ab878c51da401aab6d0cc115fc2577d56dc6c67ecaa6a0c14b3f2ece2c07ad7cc06f786b0914d4c91b6846fe705f649efd149a7fc5104c8e086606f91f2057984311926d91f3622f213c20209f2d7f4c47d8c82705a1d30e62c3db4e84c401e02d390203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414329a0138051fbc1755bc04bf13b8ede611f1970a300a06082a8648ce3d040302034700304402207bbc6429b4ed57817d00d835f5b3a7e55ab6e7b4027bc77a0fdf62ef30398291022035015a810c3c77323edf1ac04adf0458673ed48137437ab3c2532bb86b9f1127');
INSERT INTO public.issued_certificates VALUES (24, 'nca', '6088c80d83b80173ea870895912dd801bb6c5208', '700105315550', 'legal_auth', 'БАСШЫБАЕВ МҰХТАР', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308204dd30820483a00302010202146088c80d83b80173ea870895912dd801bb6c5208300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081e93128302606035504030c1fd091d090d0a1d0a8d0abd091d090d095d09220d09cd2b0d0a5d0a2d090d0a0311b301906035504040c12d091d090d0a1d0a8d0abd091d090d095d092311830160603550405130f49494e373030313035333135353530310b3009060355040613024b5a3140303e060355040a0c37d0a2d09ed09e2022d29ad090d097d090d29a20d09dd09ed0a2d090d0a0d098d090d0a220d0a1d095d0a0d092d098d0a122202853494d2931183016060355040b0c0f42494e393430313430303030333835311d301b060355042a0c14d0a2d3a8d09bd095d093d095d09dd2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100b26c7dbb44c58885b53fdb73f28c2968358fd0c422d932978d253e2c355773ecfb2cce42a27e5c1b759bf852529b2dcd1f196e9b9e584b6f6e1e8da7af79f83c1e93e3a95153f32e1617b349b2314d7f8548a65c49ba3c31846fcc2aa487cb7c78e19a5cc45b17df78e612aab1dc9f95f00c6cab409225698c370ff6a350f4270035f6025436c3ce86836ada8d2fd5333acc2308be7282d140a0711cac93455e7715f80d7e90f69cf170a0a72a056ae3d7252c8035dd6099538d16deaa6e92dd4e16eaf83486af2659fc90ba4f6d4c94243efe4b5f1d94c4746ec1a4d8b9f81d1572444a250316a2f3f37207d9db209e4269c876960a42d2fc5a11490461ba990203010001a38201ca308201c6300e0603551d0f0101ff0404030205a030330603551d25042c302a06082b0601050507030206082a830e030304010206092a830e03030401020106092a830e030304010202301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302023027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414a97f33d39ca7bbc8b7c936f006d87a0f21a3a58f300a06082a8648ce3d0403020348003045022031f030862b04d7d72d09a77b2bcdaa0d12577044c056695e44276dc52e77b5e3022100c5e6824bb1ce1b5b4a4f2c7230d3010352cc7d362ade574ce9af4630a3c9bada');
INSERT INTO public.issued_certificates VALUES (25, 'nca', '75f3c1123a32d5514486e6063685700059abdade', '950228415923', 'legal_auth', 'ҚЫЗМЕТОВА ӘСЕЛ', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308204d230820478a003020102021475f3c1123a32d5514486e6063685700059abdade300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081e93124302206035504030c1bd29ad0abd097d09cd095d0a2d09ed092d09020d398d0a1d095d09b311b301906035504040c12d29ad0abd097d09cd095d0a2d09ed092d090311830160603550405130f49494e393530323238343135393233310b3009060355040613024b5a3140303e060355040a0c37d0a2d09ed09e2022d29ad090d097d090d29a20d09dd09ed0a2d090d0a0d098d090d0a220d0a1d095d0a0d092d098d0a122202853494d2931183016060355040b0c0f42494e3934303134303030303338353121301f060355042a0c18d091d090d0a3d0abd0a0d096d090d09dd29ad0abd097d0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100ae7c906ff2227615f8c2f0b704b5aeb1f45909ec5a32025c72ae85120ad35079a0f188c116dce41d59781cc0e0275a4a140ac104722ba5135a0fcbd498182d02126aeaf7426efcb6eac7d19f3d1b0977dc0fb536daed71bcb3c811b396cf8c4f7367f4a129f29e2220fa0c2b70c212f7b2c3fbb2d2edb8b949142b99704662f088efe8e50f0785cec1dd36b258a21bf61a0452d71cf93295b9d7ae0c4b37cc753f0a63d66902bf102e077c14eb22356883c3ca2e9e178720be9b29550fee3a43f3c4a0f93604c77064f0a5596ba7bdca192a6798179e4e0b873435123b175a833eeb269b7c5f286e30c7c7eacadccbb5bf39bfc28393d61e88507097fe2a3d8f0203010001a38201bf308201bb300e0603551d0f0101ff0404030205a030280603551d250421301f06082b0601050507030206082a830e030304010206092a830e030304010205301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302023027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e0416041433d3ae9c77edd29a771b4cd6eb3bbb0a159c8ccd300a06082a8648ce3d040302034800304502210082c9a7688efe23fdd7363a064b84d9077d77677b5e97237304c67ce6c5a7d89a02200af8b8737e9677c0dc6abd065b0cc86ddc6c6066f1b7fb31986cbf168525c20a');
INSERT INTO public.issued_certificates VALUES (26, 'gov', '6b6eeaecb0719dae2f1424df6f721aa9f3d807db', '761111316298', 'civil_servant', 'МЕМЛЕКЕТОВ САҒЫНДЫҚ', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308204bf30820466a00302010202146b6eeaecb0719dae2f1424df6f721aa9f3d807db300a06082a8648ce3d040302307d316e306c06035504030c65d09cd095d09cd09bd095d09ad095d0a2d0a2d086d09a20d09ed0a0d093d090d09dd094d090d0a0d094d0abd2a220d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd292d0ab2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081df312e302c06035504030c25d09cd095d09cd09bd095d09ad095d0a2d09ed09220d0a1d090d292d0abd09dd094d0abd29a311d301b06035504040c14d09cd095d09cd09bd095d09ad095d0a2d09ed092311830160603550405130f49494e373631313131333136323938310b3009060355040613024b5a31323030060355040a0c29d398d094d086d09bd095d0a220d09cd098d09dd098d0a1d0a2d0a0d09bd086d093d086202853494d2931183016060355040b0c0f42494e39393031343030303436353431193017060355042a0c10d086d09bd098d0afd0a1d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100bc9ff93ee97aa973613cf6df0adff986da2325cb59aa648083f61fe9e783ec715f611deac6111d5de968590a388fd12e4eb7abc1f5c0b707bed784cc28b1aa696e419b5bbc6f0279bad39c25fb8673939a057d47cd04429ccba6bd59c38037a123692288584249bcdf0be0799b0136f2d55267835a27d9f86d43a758246c216f2b27882d8b93b5b452bd3f415669426f0c68071d299b42f17f2aad2fdb02544f67b3d6c390f296fb1d9ca1783920edcb7ea4c82b54cb081bb878c4cd42849f8cff7aeb683024b6fa929d7b81f2cce5e56b12560eb88212c435b613494402833a9a28941d9efe19863cc6b03cc943913f421192a2eb38a7ef67814f0e00f672330203010001a382019430820190300e0603551d0f0101ff0404030206c0301f0603551d2304183016801427669b73cb0be4c51def2a0b5704705287bba02a303c0603551d2004353033303106062a830e0302013027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f676f765f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f676f765f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f676f765f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e041604143b90601e94dff99d5bf89e29ad795eacab6a5b94300a06082a8648ce3d0403020347003044022017e7c7bd7d5bcaac662ff60cfba6dffc95c92fe62f79fb5107acc9f0540db07202207293dbe6c697a1af9780cc60ba0d70cb3dff5fe42c80d2a8ad24cc80e441ac95');
INSERT INTO public.issued_certificates VALUES (27, 'nca', '54d3faa8cad000b8957bc367a040a6c1c988947a', '720308417035', 'individual_auth', 'НОТАРИУСОВА ГҮЛМИРА', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308203aa30820350a003020102021454d3faa8cad000b8957bc367a040a6c1c988947a300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a308197312e302c06035504030c25d09dd09ed0a2d090d0a0d098d0a3d0a1d09ed092d09020d093d2aed09bd09cd098d0a0d090311f301d06035504040c16d09dd09ed0a2d090d0a0d098d0a3d0a1d09ed092d090311830160603550405130f49494e373230333038343137303335310b3009060355040613024b5a311d301b060355042a0c14d29ad0a3d090d09dd0abd0a8d29ad0abd097d0ab3059301306072a8648ce3d020106082a8648ce3d03010703420004ae5bc1804ee56d7def898405212700bb475dfd0a30c8269f057288a536663bb8bdc95e4a57cb68a468f2f94c00473de9f4456b84765b201109d7fe1462a9e42fa38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414780891476a180e58b0bbebb285168716209e264e300a06082a8648ce3d0403020348003045022100a3d8fc2327170f9553bc818a38586f8d30a818f53c0cd5e800f07919877b818502200d7b3e4e91e7e499c8ff7f20f949b7b5dc9221d60bf02e7528f0889193ed276c');
INSERT INTO public.issued_certificates VALUES (28, 'nca', '37786fd15286c5c628a0e21bee299745d1794a66', '861224417406', 'individual_auth', 'ДЕМАЛЫСОВА ЛӘЗЗАТ', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046c30820413a003020102021437786fd15286c5c628a0e21bee299745d1794a66300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a30818f312a302806035504030c21d094d095d09cd090d09bd0abd0a1d09ed092d09020d09bd398d097d097d090d0a2311d301b06035504040c14d094d095d09cd090d09bd0abd0a1d09ed092d090311830160603550405130f49494e383631323234343137343036310b3009060355040613024b5a311b3019060355042a0c12d095d0a0d091d09ed09bd29ad0abd097d0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100c0df5d112871839dea33f7253e73230ec1a4052038b65ba20d96045d50f29c70da8fba9c5dcd24f7dfaf99d33caed920a924ff64a7fa165e4c0f2ab69d7ac14696646f98f142045f74d0255e427f861258611b369c43dff83c5038c1a1055ccc453a020f56798b3256b11c856a2620b0d18ace3a6c06d0ade64158411a52f1aa4b5a02e2e145834d0e95371bffc8d6eff61f2a852f75aaa95b6f5bd89bc5a110c0d59fa6e26070dd323188bb17337cef6e80dff27a316b09529e72afbb643084db5248b4a9ef7786262b96149c62832585151f784923c8f80ab87fd8182d590f721389737014fc284956b5fedfb542012622012b6ff8135a414b56077a55fe610203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e0416041486418faaac7f99bc54e93e3901fac8998a16cc04300a06082a8648ce3d040302034700304402206ccbd9fa62c46193bd9089b5a90a0db6113b8cd5d1d3577619eb8b1cb17093d502200974c10573be625c4261e23d6c9db63c170e5a8a7f4843ec0104d8baf12fbb8a');
INSERT INTO public.issued_certificates VALUES (29, 'nca', '4bda2853a03d11b27397dc3a4ee81ab44ca37830', '890505317777', 'individual_auth', 'БҰҒАТТАЛОВ ЕЛДОС', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046b30820411a00302010202144bda2853a03d11b27397dc3a4ee81ab44ca37830300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a30818d3128302606035504030c1fd091d2b0d292d090d0a2d0a2d090d09bd09ed09220d095d09bd094d09ed0a1311d301b06035504040c14d091d2b0d292d090d0a2d0a2d090d09bd09ed092311830160603550405130f49494e383930353035333137373737310b3009060355040613024b5a311b3019060355042a0c12d09dd2b0d0a0d096d090d09dd2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100d287f97cd0bbc9ee2506ea5c7c29b17d80edb453f434400cfff37d92121e4e4f28d8888560e32d8677be6ef79d592b5f830d572347f5996fe00286334b4f5f484c045e71d4f8bb14b9f0f8cd840871b298656f9c4539eb2132d7979f2e634736d9a12d1bbc9177957d231c1a7942531545c820b1487a53ef2c64c8c4d2c0181ba67bb10ceda22bbaa217c4f869f181c7c9aa539775fd704940a41e3f3050df317b285ae6419c500cc457b8aa71068564d44dcdc42c384f15b0f6eb1499db59cf72b86583c00c74370afbfc62d18109542e0082b6aeff8deccb2d9086ef7f3bc381c639f14fd492faa155f8e53535438961fa68f7a25e99cd90c654913b59fbed0203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e0416041430d70f49a464b18d3a2f6c34bd1d9639cff3503c300a06082a8648ce3d040302034800304502203141614658ef46eb7951b011ef100d929deff27b5e3600fe21ebe4b9512160ce022100fd79a2e88edbd6108c38d51788bf0c3424cb01776fa9672c7e36a107f523c352');
INSERT INTO public.issued_certificates VALUES (30, 'nca', '4936748aeb7577474c5c8a9fbac062042f5c23d4', '810917318146', 'individual_auth', 'ЖҰМЫССЫЗОВ АЛМАС', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x3082046c30820411a00302010202144936748aeb7577474c5c8a9fbac062042f5c23d4300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a30818d3128302606035504030c1fd096d2b0d09cd0abd0a1d0a1d0abd097d09ed09220d090d09bd09cd090d0a1311d301b06035504040c14d096d2b0d09cd0abd0a1d0a1d0abd097d09ed092311830160603550405130f49494e383130393137333138313436310b3009060355040613024b5a311b3019060355042a0c12d29ad090d099d0a1d090d0a0d2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a028201010094f74cb4480e63a88511dcab3e55a56a287d6c3b40c96a73e7b3f9d5ce213b42db71293309aec8133ffef42081dd36f2cca17f19dff93afc37352c7ffcdba5b206609d843a5ca1b37fa5ad561154dae30b2b106c529bbafd3cab63b919000513bf73f850b6ac607eccb6157aa80c83c791e0d0d2a795572f48ba80da91923895625b814ec91c2af330d93d830776a6651b609c744ad4ae704b8135fa20794e289a5d1cca1344076d7c55cf4c0d355f2c4471370666d797a1a1a5c6405ce42086dfc2c418f3fff9e2002bff7fd842b893744df972fa99391a5918421f61aec713c7b650ef48621a8e45c554a5105bff85d24183623a3f20ffe9b04dd66bf0e0770203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e04160414c1840418fe884b7888c5dcadb271eee280a18b46300a06082a8648ce3d0403020349003046022100c99593665537ff708278fba5e98b47e7b93f6a138a4a526bf2223c9afa41896e022100ba2c2ac6241226930546de50fb516ff1b0fb8c3f65eb18b96813c25ffe80e97e');
INSERT INTO public.issued_certificates VALUES (31, 'nca', '18f1a228f90fb872355a91b364c4927fa22d1692', '920730318519', 'individual_auth', 'БЕЙТАНЫСОВ ҒАЛЫМ', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308204663082040ba003020102021418f1a228f90fb872355a91b364c4927fa22d1692300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081873128302606035504030c1fd091d095d099d0a2d090d09dd0abd0a1d09ed09220d292d090d09bd0abd09c311d301b06035504040c14d091d095d099d0a2d090d09dd0abd0a1d09ed092311830160603550405130f49494e393230373330333138353139310b3009060355040613024b5a31153013060355042a0c0cd096d090d09dd2b0d09bd0ab30820122300d06092a864886f70d01010105000382010f003082010a0282010100c33e0003ed577b4c7d4dd01b4831aae2ac473508a13dbb018cd836680afe7964529e156698a968339519f012c4d2560cb8e6f39c9e4ac7078009cbac94b035a6613f2fe9ddddc4436bfa5c537f6620f15387eb72263429d853ef6dd43fcbd3756e50969082a6911d2c48ad8d6199d240b0baafaebcc1a1b1b4680c7b54737aeb9c6547890f659e888214291d807382284825b0ecbc34389d824b95edbd03e284253b6f89325691414300e49b8eed4705171361bd99104ef9967ad6cf6d08a3ac28b3ed736ee8cc27c54a70e6fe039a55e0d929eba646fad34e309f8c5a2750af2a49f1392f711e0fd9bb69545a851a856945f7e3ce6a106718dc3f71a3c8d9550203010001a38201b4308201b0300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030206082a830e0303040101301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303d0603551d2004363034303206072a830e030302043027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e0416041477e02bcb83eb8956488a9f297f19a756c6f594ab300a06082a8648ce3d0403020349003046022100f6053311945246b5092f6e7211a15497623eef54a0ab14193b95e38a15a89fce022100b46d1ccd0f7f8039d8bbeb89e17d7f9dfd55299a2702a7d7037915f4b4889a23');
INSERT INTO public.issued_certificates VALUES (32, 'nca', '11eea92c3069d91e491a319aac0a5068d93ae066', '801010390011', 'information_system', 'БИОМЕТРИЯОВ СЕРВИС', '2026-11-30 09:00:00', '2027-11-30 09:00:00', '2026-11-30 09:00:00', '\x308203ea30820390a003020102021411eea92c3069d91e491a319aac0a5068d93ae066300a06082a8648ce3d040302305a314b304906035504030c42d2b0d09bd0a2d0a2d0abd29a20d09ad0a3d398d09bd090d09dd094d0abd0a0d0a3d0a8d0ab20d09ed0a0d0a2d090d09bd0abd29a2028454344534129202853494d29310b3009060355040613024b5a301e170d3236313133303039303030305a170d3237313133303039303030305a3081e2312c302a06035504030c23d091d098d09ed09cd095d0a2d0a0d098d0afd09ed09220d0a1d095d0a0d092d098d0a1311f301d06035504040c16d091d098d09ed09cd095d0a2d0a0d098d0afd09ed092311830160603550405130f49494e383031303130333930303131310b3009060355040613024b5a31373035060355040a0c2ed090d29a2022d091d098d09ed09cd095d0a2d0a0d098d0af20d0a1d095d0a0d092d098d0a1d08622202853494d2931183016060355040b0c0f42494e30303037343030303037323831173015060355042a0c0ed096d2aed099d095d2b0d09bd0ab3059301306072a8648ce3d020106082a8648ce3d03010703420004001d79072bbb162b8a3fdf5a9f8ce9cb8e662a3b7434ff0d6421eaa43e8a92e40e8139109fe740268f7d5a7f46d83da8668ec24fb9da6dc107d7c31c9d76fdfaa38201a9308201a5300e0603551d0f0101ff04040302078030130603551d25040c300a06082a830e0303040102301f0603551d23041830168014fd4c7ac9351c96245f26e0b35b605643e863f6b8303c0603551d2004353033303106062a830e0303023027302506082b060105050702011619687474703a2f2f3132372e302e302e313a383038302f63707330380603551d1f0431302f302da02ba0298627687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f65636473612e63726c303a0603551d2e04333031302fa02da02b8629687474703a2f2f3132372e302e302e313a383038302f63726c2f6e63615f645f65636473612e63726c306d06082b060105050701010461305f303406082b060105050730028628687474703a2f2f3132372e302e302e313a383038302f636572742f6e63615f65636473612e636572302706082b06010505073001861b687474703a2f2f3132372e302e302e313a383038302f6f6373702f301b06072a830e0303050104100c0e66696c652028504b435323313229301d0603551d0e0416041491bdccc66d40336c42708d016fabf9383ec54af7300a06082a8648ce3d040302034800304502203d55f70df47b8ac3b53f86bdca927f5fd15681aeca72507c7a186ce64c33f65e022100fe45ac6cc2f0768eaea4d51da5e69b7b68109254f3a7a9819849d26479b8b2c8');


--
-- Data for Name: operators; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.operators VALUES (1, 'alice', 'operator', 'nca', '5c12116af9d839ecf215ca4eea5f57e295813bb6b95637774bfa444e032b50f3', '2026-12-02 00:20:12.509937', true);


--
-- Data for Name: revocation_state; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.revocation_state VALUES ('root', 0, 2);
INSERT INTO public.revocation_state VALUES ('gov', 0, 2);
INSERT INTO public.revocation_state VALUES ('nca', 3, 2);


--
-- Data for Name: revocations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.revocations VALUES (1, 'nca', '61944623423434b55264cda7007dda7e2753b593', 'key_compromise', 'keyCompromise', '2026-11-30 09:00:00', NULL, 'fixtures', 'fixtures scenario revoked_key_compromise', '2026-11-30 09:00:00', NULL, NULL, NULL, NULL, 1, NULL, '\x3033021461944623423434b55264cda7007dda7e2753b593170d3236313133303039303030305a300c300a0603551d1504030a0101');
INSERT INTO public.revocations VALUES (2, 'nca', '190b60f99e5cf6a72641ebbc23b99860d1724ff6', 'name_change', 'superseded', '2026-11-30 09:00:00', NULL, 'fixtures', 'fixtures scenario revoked_name_change', '2026-11-30 09:00:00', NULL, NULL, NULL, NULL, 2, NULL, '\x30330214190b60f99e5cf6a72641ebbc23b99860d1724ff6170d3236313133303039303030305a300c300a0603551d1504030a0104');
INSERT INTO public.revocations VALUES (3, 'nca', '68fbc01146b3e8f127b3378d5e86ff6cd5071e9d', 'hold', 'certificateHold', '2026-11-30 09:00:00', NULL, 'fixtures', 'fixtures scenario on_hold', '2026-11-30 09:00:00', NULL, NULL, NULL, NULL, 3, NULL, '\x3033021468fbc01146b3e8f127b3378d5e86ff6cd5071e9d170d3236313133303039303030305a300c300a0603551d1504030a0106');


--
-- Data for Name: revocations_archive; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: unis_account_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.unis_account_events VALUES (1, 1, '2026-12-02 00:19:56.449181', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (2, 2, '2026-12-02 00:19:56.597041', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (3, 3, '2026-12-02 00:19:56.649356', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (4, 4, '2026-12-02 00:19:56.65441', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (5, 5, '2026-12-02 00:19:56.661289', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (6, 6, '2026-12-02 00:19:56.685328', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (7, 7, '2026-12-02 00:19:56.825189', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (8, 8, '2026-12-02 00:19:56.909109', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (9, 9, '2026-12-02 00:19:56.973733', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (10, 10, '2026-12-02 00:19:57.07713', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (11, 11, '2026-12-02 00:19:57.209159', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (12, 12, '2026-12-02 00:19:57.265777', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (13, 13, '2026-12-02 00:19:57.293106', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (14, 14, '2026-12-02 00:19:57.320243', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (15, 15, '2026-12-02 00:19:57.461121', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (16, 16, '2026-12-02 00:19:57.517116', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (17, 17, '2026-12-02 00:19:57.605237', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (18, 18, '2026-12-02 00:19:57.729101', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (19, 19, '2026-12-02 00:19:57.833246', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (20, 20, '2026-12-02 00:19:57.928988', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (21, 20, '2026-12-02 00:19:57.928988', 'suspended', 'leave', NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (22, 21, '2026-12-02 00:19:58.017124', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (23, 21, '2026-12-02 00:19:58.017124', 'blocked', 'chamber_decision', NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (24, 22, '2026-12-02 00:19:58.065649', 'created', NULL, NULL, 'import-accounts');
INSERT INTO public.unis_account_events VALUES (25, 22, '2026-12-02 00:19:58.065649', 'terminated', 'dismissed', NULL, 'import-accounts');


--
-- Data for Name: unis_accounts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.unis_accounts VALUES (1, '850412310003', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.449181', '2026-12-02 00:19:56.449181');
INSERT INTO public.unis_accounts VALUES (2, '900903410378', 'justice_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.597041', '2026-12-02 00:19:56.597041');
INSERT INTO public.unis_accounts VALUES (3, '780130310749', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.649356', '2026-12-02 00:19:56.649356');
INSERT INTO public.unis_accounts VALUES (4, '931121411115', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.65441', '2026-12-02 00:19:56.65441');
INSERT INTO public.unis_accounts VALUES (5, '880615411483', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.661289', '2026-12-02 00:19:56.661289');
INSERT INTO public.unis_accounts VALUES (6, '110822511852', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.685328', '2026-12-02 00:19:56.685328');
INSERT INTO public.unis_accounts VALUES (7, '101130612221', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.825189', '2026-12-02 00:19:56.825189');
INSERT INTO public.unis_accounts VALUES (8, '101201512598', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.909109', '2026-12-02 00:19:56.909109');
INSERT INTO public.unis_accounts VALUES (9, '750808313337', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:56.973733', '2026-12-02 00:19:56.973733');
INSERT INTO public.unis_accounts VALUES (10, '840319313704', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.07713', '2026-12-02 00:19:57.07713');
INSERT INTO public.unis_accounts VALUES (11, '911201414071', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.209159', '2026-12-02 00:19:57.209159');
INSERT INTO public.unis_accounts VALUES (12, '800527314449', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.265777', '2026-12-02 00:19:57.265777');
INSERT INTO public.unis_accounts VALUES (13, '871009414810', 'justice_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.293106', '2026-12-02 00:19:57.293106');
INSERT INTO public.unis_accounts VALUES (14, '790704315187', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.320243', '2026-12-02 00:19:57.320243');
INSERT INTO public.unis_accounts VALUES (15, '700105315550', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.461121', '2026-12-02 00:19:57.461121');
INSERT INTO public.unis_accounts VALUES (16, '950228415923', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.517116', '2026-12-02 00:19:57.517116');
INSERT INTO public.unis_accounts VALUES (17, '761111316298', 'justice_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.605237', '2026-12-02 00:19:57.605237');
INSERT INTO public.unis_accounts VALUES (18, '830401316663', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.729101', '2026-12-02 00:19:57.729101');
INSERT INTO public.unis_accounts VALUES (19, '720308417035', 'notary', 'Нотариальная палата г. Алматы (SIM)', 'active', NULL, NULL, '2026-12-02 00:19:57.833246', '2026-12-02 00:19:57.833246');
INSERT INTO public.unis_accounts VALUES (20, '861224417406', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'suspended', 'leave', NULL, '2026-12-02 00:19:57.928988', '2026-12-02 00:19:57.928988');
INSERT INTO public.unis_accounts VALUES (21, '890505317777', 'chamber_employee', 'Нотариальная палата г. Алматы (SIM)', 'blocked', 'chamber_decision', NULL, '2026-12-02 00:19:58.017124', '2026-12-02 00:19:58.017124');
INSERT INTO public.unis_accounts VALUES (22, '810917318146', 'justice_employee', 'Нотариальная палата г. Алматы (SIM)', 'terminated', 'dismissed', NULL, '2026-12-02 00:19:58.065649', '2026-12-02 00:19:58.065649');


--
-- Data for Name: unis_challenges; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.unis_challenges VALUES ('cgFWwQdbAukmmtfjCT7dAwYCAn641mPr', '\x8e3432d486a2d85ad06c3a0f2bfd8e849a0405fe9ca78d68087300899174659b', '2026-11-30 09:00:00', '2026-11-30 09:05:00', NULL);


--
-- Data for Name: unis_login_records; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: audit_head_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_head_id_seq', 1, false);


--
-- Name: ca_keys_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ca_keys_id_seq', 9, true);


--
-- Name: court_orders_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.court_orders_id_seq', 1, false);


--
-- Name: crl_issues_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.crl_issues_id_seq', 6, true);


--
-- Name: issued_certificates_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.issued_certificates_id_seq', 32, true);


--
-- Name: operators_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.operators_id_seq', 1, true);


--
-- Name: revocations_archive_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.revocations_archive_id_seq', 1, false);


--
-- Name: revocations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.revocations_id_seq', 3, true);


--
-- Name: unis_account_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.unis_account_events_id_seq', 25, true);


--
-- Name: unis_accounts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.unis_accounts_id_seq', 22, true);


--
-- Name: unis_login_records_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.unis_login_records_id_seq', 1, false);


--
-- Name: audit_entries audit_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entries
    ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (seq);


--
-- Name: audit_head audit_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_head
    ADD CONSTRAINT audit_head_pkey PRIMARY KEY (id);


--
-- Name: ca_keys ca_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ca_keys
    ADD CONSTRAINT ca_keys_pkey PRIMARY KEY (id);


--
-- Name: court_orders court_orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.court_orders
    ADD CONSTRAINT court_orders_pkey PRIMARY KEY (id);


--
-- Name: crl_issues crl_issues_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.crl_issues
    ADD CONSTRAINT crl_issues_pkey PRIMARY KEY (id);


--
-- Name: issued_certificates issued_certificates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issued_certificates
    ADD CONSTRAINT issued_certificates_pkey PRIMARY KEY (id);


--
-- Name: operators operators_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operators
    ADD CONSTRAINT operators_name_key UNIQUE (name);


--
-- Name: operators operators_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operators
    ADD CONSTRAINT operators_pkey PRIMARY KEY (id);


--
-- Name: revocation_state revocation_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revocation_state
    ADD CONSTRAINT revocation_state_pkey PRIMARY KEY (ca_id);


--
-- Name: revocations_archive revocations_archive_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revocations_archive
    ADD CONSTRAINT revocations_archive_pkey PRIMARY KEY (id);


--
-- Name: revocations revocations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revocations
    ADD CONSTRAINT revocations_pkey PRIMARY KEY (id);


--
-- Name: unis_account_events unis_account_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_account_events
    ADD CONSTRAINT unis_account_events_pkey PRIMARY KEY (id);


--
-- Name: unis_accounts unis_accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_accounts
    ADD CONSTRAINT unis_accounts_pkey PRIMARY KEY (id);


--
-- Name: unis_challenges unis_challenges_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_challenges
    ADD CONSTRAINT unis_challenges_pkey PRIMARY KEY (challenge_id);


--
-- Name: unis_login_records unis_login_records_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_login_records
    ADD CONSTRAINT unis_login_records_pkey PRIMARY KEY (id);


--
-- Name: ca_keys uq_ca_keys_generation; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ca_keys
    ADD CONSTRAINT uq_ca_keys_generation UNIQUE (ca_id, purpose, generation);


--
-- Name: crl_issues uq_crl_issues_number; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.crl_issues
    ADD CONSTRAINT uq_crl_issues_number UNIQUE (ca_id, crl_number);


--
-- Name: issued_certificates uq_issued_certificates_ca_serial; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issued_certificates
    ADD CONSTRAINT uq_issued_certificates_ca_serial UNIQUE (ca_id, serial);


--
-- Name: ix_audit_entries_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_entries_action ON public.audit_entries USING btree (action);


--
-- Name: ix_audit_entries_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_entries_at ON public.audit_entries USING btree (at);


--
-- Name: ix_court_orders_iin; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_court_orders_iin ON public.court_orders USING btree (iin);


--
-- Name: ix_crl_issues_latest; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_crl_issues_latest ON public.crl_issues USING btree (ca_id, kind, this_update);


--
-- Name: ix_issued_certificates_iin; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_issued_certificates_iin ON public.issued_certificates USING btree (iin);


--
-- Name: ix_operators_token_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_operators_token_hash ON public.operators USING btree (token_hash);


--
-- Name: ix_revocations_archive_ended; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_archive_ended ON public.revocations_archive USING btree (ca_id, ended_version);


--
-- Name: ix_revocations_archive_from; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_archive_from ON public.revocations_archive USING btree (ca_id, effective_from);


--
-- Name: ix_revocations_archive_serial; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_archive_serial ON public.revocations_archive USING btree (ca_id, serial, effective_from);


--
-- Name: ix_revocations_archive_started; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_archive_started ON public.revocations_archive USING btree (ca_id, started_version);


--
-- Name: ix_revocations_archive_until; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_archive_until ON public.revocations_archive USING btree (ca_id, effective_until);


--
-- Name: ix_revocations_ended; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_ended ON public.revocations USING btree (ca_id, ended_version);


--
-- Name: ix_revocations_from; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_from ON public.revocations USING btree (ca_id, effective_from);


--
-- Name: ix_revocations_serial; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_serial ON public.revocations USING btree (ca_id, serial, effective_from);


--
-- Name: ix_revocations_started; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_started ON public.revocations USING btree (ca_id, started_version);


--
-- Name: ix_revocations_until; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revocations_until ON public.revocations USING btree (ca_id, effective_until);


--
-- Name: ix_unis_account_events_account_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_unis_account_events_account_id ON public.unis_account_events USING btree (account_id);


--
-- Name: ix_unis_accounts_iin; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_unis_accounts_iin ON public.unis_accounts USING btree (iin);


--
-- Name: ix_unis_challenges_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_unis_challenges_expires_at ON public.unis_challenges USING btree (expires_at);


--
-- Name: ix_unis_login_records_account_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_unis_login_records_account_id ON public.unis_login_records USING btree (account_id);


--
-- Name: ix_unis_login_records_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_unis_login_records_at ON public.unis_login_records USING btree (at);


--
-- Name: ix_unis_login_records_challenge_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_unis_login_records_challenge_id ON public.unis_login_records USING btree (challenge_id);


--
-- Name: unis_account_events unis_account_events_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unis_account_events
    ADD CONSTRAINT unis_account_events_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.unis_accounts(id);


--
-- PostgreSQL database dump complete
--


