-- A coreinspect database of schema 3 on PostgreSQL, for tests/fleet/partitions.sh
-- (the migration to 4 must keep its rows, ids and rollups): pg_dump --no-owner
-- --no-privileges of what coreinspect at schema 3 (main 409e58e) wrote: index of
-- fixtures/{abort,inline,lib,segv,segv.core,threads}.zst and bench/fleetgen's 80 crashes
-- (--days 120 --now 1790000000 --hosts 20 --signatures 30 --first 5000000): 6 months and an untimed crash (the raw core).
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
-- Name: coreinspect_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coreinspect_meta (
    key text NOT NULL,
    value text NOT NULL
);


--
-- Name: crashes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.crashes (
    id bigint NOT NULL,
    crash_key text NOT NULL,
    bundle_key text NOT NULL,
    bundle text NOT NULL,
    host text,
    exe text,
    exe_name text,
    pid bigint,
    "time" bigint,
    signal integer,
    class text NOT NULL,
    detail text,
    confidence text,
    crash_frame text,
    signature text NOT NULL,
    signature_text text NOT NULL,
    indexed_at bigint NOT NULL,
    build_id text,
    package text,
    version text
);


--
-- Name: crashes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.crashes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: crashes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.crashes_id_seq OWNED BY public.crashes.id;


--
-- Name: failures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.failures (
    bundle_key text NOT NULL,
    bundle text NOT NULL,
    reason text NOT NULL,
    analyzer text NOT NULL,
    failed_at bigint NOT NULL,
    path_key text
);


--
-- Name: sig_days; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sig_days (
    signature text NOT NULL,
    day bigint NOT NULL,
    n bigint NOT NULL,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL,
    latest_key text NOT NULL
);


--
-- Name: sig_hosts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sig_hosts (
    signature text NOT NULL,
    host text NOT NULL,
    n bigint NOT NULL,
    last_seen bigint NOT NULL
);


--
-- Name: sig_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sig_versions (
    signature text NOT NULL,
    version text NOT NULL,
    n bigint NOT NULL,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL
);


--
-- Name: signatures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signatures (
    signature text NOT NULL,
    class text NOT NULL,
    exe text,
    exe_name text,
    signature_text text NOT NULL,
    detail text,
    crash_frame text,
    total bigint NOT NULL,
    hosts bigint NOT NULL,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL,
    latest_key text NOT NULL,
    latest_bundle text NOT NULL,
    first_version text
);


--
-- Name: crashes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.crashes ALTER COLUMN id SET DEFAULT nextval('public.crashes_id_seq'::regclass);


--
-- Data for Name: coreinspect_meta; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.coreinspect_meta (key, value) FROM stdin;
schema	3
\.


--
-- Data for Name: crashes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.crashes (id, crash_key, bundle_key, bundle, host, exe, exe_name, pid, "time", signal, class, detail, confidence, crash_frame, signature, signature_text, indexed_at, build_id, package, version) FROM stdin;
1	5145817cf7b55c3858c38cf713ba36bf52e24981eadaca01f26cdd76e1cd73af	0d0f7e350706d9694c49adc938e9721d760c4e730ed472ebacc5eb846a85b030	/tmp/pgpart/store/segv.zst	vm	/tmp/coreinspect-fixtures/bin/crash_segv	crash_segv	22705	1795645659	11	null-deref	write to NULL+0x0 in store_through (crash_segv.c:8) (rax is NULL)	high	store_through	269a3be7534e9862	v1|null-deref|crash_segv|sig11|store_through|main	1796027884	780f3fac9707f309bd2fae7f7c743cadedbbc481	\N	\N
2	8b37f981f691fb628271821b8bc09ff6c8e1765e455c9d31e99e7657dea5b5b8	d65a46aebd888c4891b2b3fba208cf1dccf3a6184e6d6fb2b594dcb8d983cee3	/tmp/pgpart/store/lib.zst	vm	/tmp/coreinspect-fixtures/bin/crash_in_lib	crash_in_lib	22738	1795645663	11	null-deref	read from NULL+0x0 in crashlib_sum (crashlib.c:8) (rax is NULL)	high	crashlib_sum	50259772800afd23	v1|null-deref|crash_in_lib|sig11|crashlib_sum|main	1796027884	8750cdc262ee744b9d1a4f2fca40f768f509797f	\N	\N
3	eb2883b3d2c37072087f29fa90e29b12509f5fccea8d72aede7db698426f9d71	500f6dcfb7027e9f9fe1a9493190b290ad61cdf415e82b5f518ec734785827e3	/tmp/pgpart/store/inline.zst	vm	/tmp/coreinspect-fixtures/bin/crash_inline	crash_inline	22730	1795645662	11	null-deref	write to NULL+0x0 in poke (crash_inline.c:8) (rdi is NULL)	high	poke	60e8c0da1310bfe0	v1|null-deref|crash_inline|sig11|poke|middle|outer|main	1796027884	4eb71daddd1e6464aef098cba17b8480ed95cd54	\N	\N
4	97fd725a37aa9348c78976376817e8c84a93a21d5b43ccb3b6c341394bc64370	507c27e3ea5d1456c42f7de2592990a91c890bcce24de6d84929b22fed7c436d	/tmp/pgpart/store/segv.core.zst	\N	/tmp/coreinspect-fixtures/bin/crash_segv	crash_segv	22753	\N	11	null-deref	access to NULL+0x0 in crash_segv+0x117b [ELF missing for crash_segv]	medium	crash_segv+0x117b	68c07f2bd0eb7100	v1|null-deref|crash_segv|sig11|crash_segv+0x117b|crash_segv+0x1211	1796027884	\N	\N	\N
5	0f431565a1c631cdb89e010f5067ebe071ed02956056c4ba69ab8dc05f6ac60d	a1aa9dd71ded23170185c6ef7bea76de958da888bc46c95b0a6ceb4c015517c6	/tmp/pgpart/store/abort.zst	vm	/tmp/coreinspect-fixtures/bin/crash_abort	crash_abort	22746	1795645664	6	abort	abort() called by the program in give_up (crash_abort.c:4)	high	give_up	7307530a5b02418f	v1|abort|crash_abort|sig6|give_up|main	1796027884	c25d2615042ff860a06daee221d28e03d8945346	\N	\N
6	79641ab84b43de654fea9193223fc2b736cb03f700ebc79f34f7340d64cca186	75687850c1ca0e4b230a561e468320d1fd127e9b612148645194f549880af660	/tmp/pgpart/store/threads.zst	vm	/tmp/coreinspect-fixtures/bin/crash_thread	crash_thread	22713	1795645660	11	null-deref	write to NULL+0x0 in worker_fault (crash_thread.c:9) (rax is NULL)	high	worker_fault	c7d32c0672374b56	v1|null-deref|crash_thread|sig11|worker_fault|worker	1796027884	f30827384977304daef03f152f935da8b75a15c3	\N	\N
7	be4ccae1c6292216e87e4777d1a0e544153f02a5e0b0ba44e065612b3b69b422	6c05f51a70688572fa3171e3970cb10f83d3686e9da8eb2cf5ee941c1c40ccc0	/var/lib/corecollect/core.app21.2575940.1785369264.zst	host00000	/usr/bin/app21	app21	2575940	1785369264	11	assert	synthetic	high	f21	02f590758a6d2936	v1|assert|app21|sig11|f21|main	1796027884	06ca0a95b7e825c7c80de0f9d4d60e0a00000001	app21	1.1
8	2bf76a8f6122373fb0c6e76a3f9ff48e2993793731c98c4bb9b6f8ae597588b6	e6d7fa3506e71301c1766a91284933ce5a9326b5a7441c7bf39c4eda2ee7a19f	/var/lib/corecollect/core.app3.179441.1781166829.zst	host00004	/usr/bin/app3	app3	179441	1781166829	11	heap-corruption	synthetic	high	f3	11402f2430284f2c	v1|heap-corruption|app3|sig11|f3|main	1796027884	1d0b14e4db018fed63033b0ca389c35a00000002	app3	1.0
9	4ddec7102d9b1e7b04d116f2660d639f542954a82c653d710e7765da13f1a120	8110a23e907205083bc24258cddb88fd27112225fea2e9d6699b8995b8e0f9ba	/var/lib/corecollect/core.app3.993672.1786370704.zst	host00002	/usr/bin/app3	app3	993672	1786370704	11	heap-corruption	synthetic	high	f3	11402f2430284f2c	v1|heap-corruption|app3|sig11|f3|main	1796027884	1d0b14e4db018fed6e73e372e2338aca00000001	app3	1.1
10	bdd4271d1a65f4d23680e97eec664c319bd8bcce9336cd9b58e4dc21bc839ee0	b4d98b5792a5f113781e44e11ecc6e80aa8693a67a3482d135cf2d82341b46ec	/var/lib/corecollect/core.app3.1830979.1788410335.zst	host00013	/usr/bin/app3	app3	1830979	1788410335	11	heap-corruption	synthetic	high	f3	11402f2430284f2c	v1|heap-corruption|app3|sig11|f3|main	1796027884	1d0b14e4db018fed1d0b14e4db018fed00000000	app3	1.2
11	53bce937adf7f8f82869b0166d739277101e1c59c41af5366bfb6d28ce017fd2	2e2b498b5cd8ea826f6d184c71be24088079d33bb2068068caaba4e4732bd463	/var/lib/corecollect/core.app4.3502712.1780425004.zst	host00013	/usr/bin/app4	app4	3502712	1780425004	11	wild-jump	synthetic	high	f4	19e7518defa0f0b0	v1|wild-jump|app4|sig11|f4|main	1796027884	6e73e372e2338acabd64a5d9adefe00000000002	app4	1.0
12	8ebd57ce092ad1de86af718ee70a989bbf7226b1511be764cb44345e2f31663d	85baf15b2bb2d1c626c28956ad80b84298e8b151a70be3d65b6a28e658f50402	/var/lib/corecollect/core.app4.3163496.1782899723.zst	host00018	/usr/bin/app4	app4	3163496	1782899723	11	wild-jump	synthetic	high	f4	19e7518defa0f0b0	v1|wild-jump|app4|sig11|f4|main	1796027884	6e73e372e2338acabd64a5d9adefe00000000002	app4	1.0
13	bbe11e158cca609b42d6a7cd80e4009283c0da8b42139e39862afd5b6d0d60c2	34db4b532b8328f49ff8aae4f68419020e04683cb88028c11c79ad61ae325611	/var/lib/corecollect/core.app4.2178456.1784360629.zst	host00010	/usr/bin/app4	app4	2178456	1784360629	11	wild-jump	synthetic	high	f4	19e7518defa0f0b0	v1|wild-jump|app4|sig11|f4|main	1796027884	6e73e372e2338aca63033b0ca389c35a00000001	app4	1.1
14	e0566d686e61696bac27934afbfddd15f3e2bc390fe49d436aea21cc028e3592	e8c0b163e2195dab86b5e6941c620a45d73a5da8220dfd57b9084af1670c7761	/var/lib/corecollect/core.app4.2222307.1780523445.zst	host00003	/usr/bin/app4	app4	2222307	1780523445	11	wild-jump	synthetic	high	f4	19e7518defa0f0b0	v1|wild-jump|app4|sig11|f4|main	1796027884	6e73e372e2338acabd64a5d9adefe00000000002	app4	1.0
15	3e12dc5286028335d8d765fc3b82e1a400959b4d4157cee3a9da2b5c27b3a31e	e13270f70e387bb795ae1510347807b8ba135e9bd9bde0a9e22f4fda5489417c	/var/lib/corecollect/core.app7.111475.1784023044.zst	host00003	/usr/bin/app7	app7	111475	1784023044	11	fpe	synthetic	high	f7	225ac33c6d679b92	v1|fpe|app7|sig11|f7|main	1796027884	63cbe1e459320dd79e5651b0ef95363600000001	app7	1.1
16	dda8d467fbc3f1b48c41ac49f3ad70bebcbac9828a398fedb25b0e15c6ff5353	df238eea908681b2885b954fa6f906e3db64cceddbc38b6225c4915944a7dbe4	/var/lib/corecollect/core.app7.2848042.1782097247.zst	host00003	/usr/bin/app7	app7	2848042	1782097247	11	fpe	synthetic	high	f7	225ac33c6d679b92	v1|fpe|app7|sig11|f7|main	1796027884	63cbe1e459320dd7aeaf52febe70606400000002	app7	1.0
17	13991a0ff854be2be58f8adf0c1ae162eee08fee7e577cd90d76f09f35fe3d09	0463feba164343084c8df39fc8991753fbfaabf93ba696b296571975f86edf5d	/var/lib/corecollect/core.app8.1295440.1784778747.zst	host00001	/usr/bin/app8	app8	1295440	1784778747	11	null-deref	synthetic	high	f8	230275d791e422cc	v1|null-deref|app8|sig11|f8|main	1796027884	9e5651b0ef953636aeaf52febe70606400000001	app8	1.1
18	4eb181481b18e4b0b71f0b0dbc9d11a97bbd2fac194c9e0247f10dedc3c5e6ea	a1c93a66e525d528144e8779f9f9cfe9f8e32b03ac35e6821ea895cc19751c3c	/var/lib/corecollect/core.app8.1670170.1789776624.zst	host00016	/usr/bin/app8	app8	1670170	1789776624	11	null-deref	synthetic	high	f8	230275d791e422cc	v1|null-deref|app8|sig11|f8|main	1796027884	9e5651b0ef9536369e5651b0ef95363600000000	app8	1.2
19	922b02745ebed655eaee7e26da2dccb4dfe3218dec438d78784a239be9e1fbec	2af15527682a6c74c2bd937560137cddc4fa7c496021f354848a0d9446e85eb3	/var/lib/corecollect/core.app8.1116760.1783540902.zst	host00005	/usr/bin/app8	app8	1116760	1783540902	11	null-deref	synthetic	high	f8	230275d791e422cc	v1|null-deref|app8|sig11|f8|main	1796027884	9e5651b0ef953636aeaf52febe70606400000001	app8	1.1
20	0550672c130c58390361ea4d4759abf9c97f57b4dcb98a2a243a2950f82c1a09	8bdf67e5fdb15eb8325f7de97bc0ef6e8ac8fed445dc0d9e50f252386948576a	/var/lib/corecollect/core.app1.1468605.1783639025.zst	host00010	/usr/bin/app1	app1	1468605	1783639025	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc1975835de1c9756ce00000001	app1	1.1
21	15af94992c383e9b0eda46624f16f20d5135e451a2131827cfd5afb8bbf162e4	2595a9d13a4aab508c22f293497760ebefa415e8903bce71c447d8070f518401	/var/lib/corecollect/core.app1.1061511.1784167458.zst	host00003	/usr/bin/app1	app1	1061511	1784167458	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc1975835de1c9756ce00000001	app1	1.1
22	1bafe8fabf78ff2aa112a1491e5f48c51d2814c591cb6f7f8cbd688fa990ae9a	4d12ebce2371d7a1ab2d1fc3fb9a1a764da105ead0609ec4e0d0c81c2f770503	/var/lib/corecollect/core.app1.1707214.1779778820.zst	host00017	/usr/bin/app1	app1	1707214	1779778820	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc11d0b14e4db018fed00000002	app1	1.0
23	2216857e926441edf7d3fd1148c133a9b4b26b43cd84b4d22e222425a334b7b7	ef3441fffb89613c640e1627d9f31a791e5ccfe806afef3631e4251d5ab88bb2	/var/lib/corecollect/core.app1.2775487.1783346554.zst	host00016	/usr/bin/app1	app1	2775487	1783346554	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc1975835de1c9756ce00000001	app1	1.1
24	3ab026b49d032f114815394e35d505879abe881660875f2817b170f6e212efeb	e9f0cf25e527463938f82732a45d55e915f0278c315cd4d2c0ac5a39bd6b03af	/var/lib/corecollect/core.app1.1866945.1789700497.zst	host00013	/usr/bin/app1	app1	1866945	1789700497	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc1910a2dec89025cc100000000	app1	1.2
25	7de4bb5e58441b79b999ecabc60c08f35f2c9983203eda0481267e6d633bef62	b85d29a4d3e26fe763cf1493f1272085c47ce0ce5beb5e05abfea5ad124f5de8	/var/lib/corecollect/core.app1.2130896.1783279711.zst	host00015	/usr/bin/app1	app1	2130896	1783279711	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc1975835de1c9756ce00000001	app1	1.1
26	7e0fcedfe186cb1881b8300058af93b99e69f0113695d48d4f5b501709b0f9a2	2164b747186948aa628ed3c5fe5803be992fb433e4d930b7e6757cd547dde9a6	/var/lib/corecollect/core.app1.1363819.1787851957.zst	host00007	/usr/bin/app1	app1	1363819	1787851957	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc1910a2dec89025cc100000000	app1	1.2
27	ab4dcc1a9aed544984793e098b717ef9c9d9c536efb1716b1c55bcf0c008109e	b7d2fd94273572bfe36f5d569ff47ba24ef807e8f05b07fea395f1644284da05	/var/lib/corecollect/core.app1.328685.1779745745.zst	host00014	/usr/bin/app1	app1	328685	1779745745	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc11d0b14e4db018fed00000002	app1	1.0
28	b6c23b14927b5c15a2dd7f124af17d69e5afc7f2414bb6d644d3ccd01e9e0d93	2c12fa68e6076aec01d150c56f70e03d46ea7d93911d3034809c7a51353dc2e2	/var/lib/corecollect/core.app1.1244744.1789833329.zst	host00007	/usr/bin/app1	app1	1244744	1789833329	11	abort	synthetic	high	f1	23259b94f13cf544	v1|abort|app1|sig11|f1|main	1796027884	910a2dec89025cc1910a2dec89025cc100000000	app1	1.2
29	9b4f38877a937eceaf1521125bf4bdf3aaeb465a8d0b0ed6c948de37e84a0ddb	a9e8a845b19deb655a1ca445610c3b3d5814c07a9e1609b020f21032b608fd58	/var/lib/corecollect/core.app20.3113186.1780421707.zst	host00001	/usr/bin/app20	app20	3113186	1780421707	11	wild-jump	synthetic	high	f20	2a8e80d0bea7e5b7	v1|wild-jump|app20|sig11|f20|main	1796027884	362259904816818cc80de0f9d4d60e0a00000002	app20	1.0
30	12f1532987cff3cfaaa8dd923cb5a9fbf57afb7cbdc733f13fca7c9fc6d5f31e	8aeaa2fae5a1005299b411e21b4d62a126c51e7c4d35ee0976bbe922e7ab3a30	/var/lib/corecollect/core.app0.3159787.1783135605.zst	host00018	/usr/bin/app0	app0	3159787	1783135605	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
31	1a97ea79a23f949450fc9d68ad182a07cf10a39363f8fc2340e03e6ed6113faa	ed2fd36555bf7bef21bbeb8d43d15830fd80a10ab18161d987e121a41d524576	/var/lib/corecollect/core.app0.453306.1784962077.zst	host00000	/usr/bin/app0	app0	453306	1784962077	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
32	326feb302500c9c2c33617b4ab21e804958f8164162c2d5a1529937e6601d67b	c47ecd32e11b6f54ef21a6580aa6d0f5a2d3738c54eff5a42eb5f0f3547b1c1b	/var/lib/corecollect/core.app0.1503438.1786045688.zst	host00013	/usr/bin/app0	app0	1503438	1786045688	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
33	37f2f6c40561449cd11d4e2e7087231155f8ebd34776ea8cf74a55c2f0da716c	538d63979fa2049f0dc296d706ee0d48672536b8f162e97fa13024301f9c8cfc	/var/lib/corecollect/core.app0.1417607.1782845786.zst	host00011	/usr/bin/app0	app0	1417607	1782845786	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf975835de1c9756ce00000002	app0	1.0
34	3f8820dedf23c158e4bcb7c263251156bb60b5e59ab93b2e7723518afc75800a	5384072300c7bc33ed47c4bca432a5f973df5399d16a1f2a3bdc0ff816a642ae	/var/lib/corecollect/core.app0.1404198.1783753225.zst	host00014	/usr/bin/app0	app0	1404198	1783753225	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
35	5e4612653689f951232a1e2c335da5260defbc6487bf4f95594498d45d155f52	c028e7a49b73586d1b7dc8966f76640ff01f1bf73a2710bd5225eda306ad3a63	/var/lib/corecollect/core.app0.2829247.1789604505.zst	host00009	/usr/bin/app0	app0	2829247	1789604505	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdafe220a8397b1dcdaf00000000	app0	1.2
36	6830cde42060b39d42ed2b3121d67cb8605c8f44a2a0cda802fef043c358bc7a	e3ff614fb90af10f901435b9b08642a1911cd259b7a2b657241f5999afa16dcf	/var/lib/corecollect/core.app0.3362588.1784815392.zst	host00015	/usr/bin/app0	app0	3362588	1784815392	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
37	696ad67b108ae7200a3bb9444db8dc253244c01d3e766a450fbe2d93c1c64df0	eadd752f0b92f78e349716f925a9c03b034fdade2b128bfb894c2f32694d9fba	/var/lib/corecollect/core.app0.1180630.1789798171.zst	host00008	/usr/bin/app0	app0	1180630	1789798171	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdafe220a8397b1dcdaf00000000	app0	1.2
38	710ab02378e4d3be99341103019d68e0d0b28f8deaced8f876e2d3595aeee1b5	657cf26bd32e149a543447da5695276d9cf3ca449cb0e648dd09d4dd30495bb9	/var/lib/corecollect/core.app0.377834.1786220099.zst	host00007	/usr/bin/app0	app0	377834	1786220099	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
39	740bc6a5b5342745e9b13ec2dd1d1fc97b16559b7ca3f61826812311ebe2686a	c634c06a77539a04b8f1c37dbb794e2dd2a0ce979a9bacf62d2c42652aebd909	/var/lib/corecollect/core.app0.183121.1784759991.zst	host00007	/usr/bin/app0	app0	183121	1784759991	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
40	74116689051189d8bffdd4cc4241f7ce85edabe2c1b9a982333f3f82a7876cdb	f78546f97311bdff3dbb5d5b8ba7f4a50c792dcefb3f3b52037358bb4499486d	/var/lib/corecollect/core.app0.122346.1785030595.zst	host00018	/usr/bin/app0	app0	122346	1785030595	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
41	81901f9bc30e880b3e17fea8294e9a04676d563269a889fce0b10810b385efa1	d52c0581c616bd7ade8bb080f9523572b931daeea797e5a3074e4ca64d7e54f4	/var/lib/corecollect/core.app0.643779.1784207482.zst	host00015	/usr/bin/app0	app0	643779	1784207482	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
42	85f37747530e10dcfe9f71993851a6a6896c06aee10c1a4e64b282852bbe251e	4ba9a5ab04a120cef515e44fcb35835908fefb57cd66e82ade75e54d2c9d194b	/var/lib/corecollect/core.app0.1273827.1789639001.zst	host00014	/usr/bin/app0	app0	1273827	1789639001	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdafe220a8397b1dcdaf00000000	app0	1.2
43	8e0128b84f437ad3df189b7606e18dd505c7e89145648612f952bb2b00c3e5c9	7aab98848a13ce11d256109f6318a26eaecf14e8cbc26d98ad9f518d56d21283	/var/lib/corecollect/core.app0.801687.1779931441.zst	host00007	/usr/bin/app0	app0	801687	1779931441	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf975835de1c9756ce00000002	app0	1.0
44	a63a19f6332eaf2560c6d8fe5fa3aa0969e8032139e1762ada0e4c363af42b25	54de8044fabe564863b816d3c690fd95217107ba5e0fb01a9e3b4f4e522efb62	/var/lib/corecollect/core.app0.3929441.1783159410.zst	host00008	/usr/bin/app0	app0	3929441	1783159410	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
45	aa471bb7eb97f852626b00a2bdb0ce7cae6119ff082a691dbf0df66c5666bebf	642bcc18f3c3c103955412d88196cb53261fec8198e6dac385db1bbef0667c65	/var/lib/corecollect/core.app0.1655773.1780191071.zst	host00010	/usr/bin/app0	app0	1655773	1780191071	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf975835de1c9756ce00000002	app0	1.0
46	c70c9e7850323571a6e7eea96a3490aba843458976b6e6e3f6b102e029828778	930991a95b517153bebfca1dffc49237fe21fddfddf8e9dd4908e7dd7a52ac8d	/var/lib/corecollect/core.app0.3703613.1781429872.zst	host00011	/usr/bin/app0	app0	3703613	1781429872	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf975835de1c9756ce00000002	app0	1.0
47	cc7416029b17a5e9264f07a7da442a7660b60a63bf047abbf0a1c2937ff03c1b	61edd0f6696d94a1e048baa593a9f34fbd741ac4ebf3625c0db0d25ac8555639	/var/lib/corecollect/core.app0.3115386.1788056129.zst	host00016	/usr/bin/app0	app0	3115386	1788056129	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdafe220a8397b1dcdaf00000000	app0	1.2
48	d12b627587cd76023cf7a9a40993b194fd8b4b8c366c5dfc1f499ea994b97475	05e026be951770d559232e3db8215e767e8e5661c60084fa55f28837a2115c1e	/var/lib/corecollect/core.app0.2596367.1783144863.zst	host00014	/usr/bin/app0	app0	2596367	1783144863	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
49	d32f4e31743d6cd02025d41bafe886f9d301e2c981e43aca9d297f20c12b2bb2	e55a75ae9bab458f7fb7fee86c60d34eb5ce022765fa66c9717b810b347ca79c	/var/lib/corecollect/core.app0.796236.1787728113.zst	host00006	/usr/bin/app0	app0	796236	1787728113	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdafe220a8397b1dcdaf00000000	app0	1.2
50	eecbb5d3522e662ac6a8bdf354e36fb0aed89076b3ed6600c32dd18df9367519	fc92ce70006c2c540754089cb433f1557e29c5458f840c5996c777d7477f66b2	/var/lib/corecollect/core.app0.3684219.1786388328.zst	host00000	/usr/bin/app0	app0	3684219	1786388328	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
51	fb06d06e4f29545475f31cc735c8cdee8b1c237d84dc4e01fad3867f8c46c129	aac044c2dc1d648b7a4872c4bac6044e62ef43cea11c18c8f87c79d0df0fe79c	/var/lib/corecollect/core.app0.2666957.1786191343.zst	host00006	/usr/bin/app0	app0	2666957	1786191343	11	null-deref	synthetic	high	f0	42f3a9364c476be3	v1|null-deref|app0|sig11|f0|main	1796027884	e220a8397b1dcdaf910a2dec89025cc100000001	app0	1.1
52	24d5e3f83bd16758418425ebc08c9a2b20a17a547be318a230b58b40c1e493e3	9380fe19977824879e1683d0b5e1cfe2b3e782bd0ead6c4798407bd67e4bca81	/var/lib/corecollect/core.app5.1960925.1786731417.zst	host00007	/usr/bin/app5	app5	1960925	1786731417	11	assert	synthetic	high	f5	47784b983a872ed6	v1|assert|app5|sig11|f5|main	1796027884	63033b0ca389c35a63033b0ca389c35a00000000	app5	1.2
53	435f7e22055fd3d10f3d5ab6f41316bdb3026cb9735201dc4777314081c8dc77	6edfb9df867b268150e41bc97f93ee135d3b2dd8ed2e6177823559aa076ebbb1	/var/lib/corecollect/core.app5.1582807.1785875296.zst	host00019	/usr/bin/app5	app5	1582807	1785875296	11	assert	synthetic	high	f5	47784b983a872ed6	v1|assert|app5|sig11|f5|main	1796027884	63033b0ca389c35abd64a5d9adefe00000000001	app5	1.1
54	453d10f7426eb9b98cf4fafbb9cb0cc932c0fea8c8cb2db57eb3c9194e5302e9	7e0f7b2d48452d5a5787a32ea12da6ebb4b566d436548736b4097fd7c389b478	/var/lib/corecollect/core.app5.943251.1788750245.zst	host00005	/usr/bin/app5	app5	943251	1788750245	11	assert	synthetic	high	f5	47784b983a872ed6	v1|assert|app5|sig11|f5|main	1796027884	63033b0ca389c35a63033b0ca389c35a00000000	app5	1.2
55	7fc33618a5a83a839f58f4aabd5bf5af94c2f60ee42e78005611c91879683749	051cf3673fd8ae2d670e9929d5915f874744596006ee5e24a267a145ae9f6173	/var/lib/corecollect/core.app5.2406119.1785782209.zst	host00017	/usr/bin/app5	app5	2406119	1785782209	11	assert	synthetic	high	f5	47784b983a872ed6	v1|assert|app5|sig11|f5|main	1796027884	63033b0ca389c35abd64a5d9adefe00000000001	app5	1.1
56	a207d321391196ea49a18b2867510576cc3c1122a2ad59521dfec4b75257f7ab	5030ca61163c4fc5f108b88f2b1d5cb2e71fa182a8a393e47ae3eee2b16c1326	/var/lib/corecollect/core.app5.3429315.1788352430.zst	host00002	/usr/bin/app5	app5	3429315	1788352430	11	assert	synthetic	high	f5	47784b983a872ed6	v1|assert|app5|sig11|f5|main	1796027884	63033b0ca389c35a63033b0ca389c35a00000000	app5	1.2
57	a9fc8ef7b98a32e12497e6f3f06e75a4ccd0a638379e371af73de45056fbc258	5158506f5b8bf07efa9ab30ecd19bde03c15b0846e292f24134f2950b7c25dc0	/var/lib/corecollect/core.app5.1456078.1786922814.zst	host00017	/usr/bin/app5	app5	1456078	1786922814	11	assert	synthetic	high	f5	47784b983a872ed6	v1|assert|app5|sig11|f5|main	1796027884	63033b0ca389c35a63033b0ca389c35a00000000	app5	1.2
58	b685e9c5d0ad9003e73d09d56292b4d733cd397bea7fdd9e8a42bbbbf1aa1e55	b163ec63c57980395fe09309876b92c967051dd014f78daf199624c2f08203d1	/var/lib/corecollect/core.app18.3010330.1779788592.zst	host00009	/usr/bin/app18	app18	3010330	1779788592	11	stack-overflow	synthetic	high	f18	4b1bbcd2f7f4f4be	v1|stack-overflow|app18|sig11|f18|main	1796027884	1120b3d00955f032362259904816818c00000002	app18	1.0
59	e1853d21a61d1ec8d5d3eecfcc8cdd6ddc5356b1adb5579dba3927c943997a87	429bc0659a77bf9740010e0323ea069d80ae51a2c96609b2da37d07e4798fd76	/var/lib/corecollect/core.app16.660180.1788656003.zst	host00002	/usr/bin/app16	app16	660180	1788656003	11	null-deref	synthetic	high	f16	4eff0b08f92f0f6c	v1|null-deref|app16|sig11|f16|main	1796027884	5de186dcba7792075de186dcba77920700000000	app16	1.2
60	d05d2d8f83e4fd87f4575450316e9ac399d3d0dca8077b2311a8a6a995df457e	d66cf6fe2f4443f46d04a47b3a6dc9edc02ec89f423179c3390b75103532a936	/var/lib/corecollect/core.app15.2451590.1786287596.zst	host00004	/usr/bin/app15	app15	2451590	1786287596	11	fpe	synthetic	high	f15	66bbe75c01e83091	v1|fpe|app15|sig11|f15|main	1796027884	875b9307abf550055de186dcba77920700000001	app15	1.1
61	f59bc6045b4721ae56ebbf89d0dd254d70590af74a861db84bb3394f35d0a331	62286e9f34387480f1ddb42071c337053b956e809e709034d6b8105a5de146ec	/var/lib/corecollect/core.app15.2808999.1783187609.zst	host00013	/usr/bin/app15	app15	2808999	1783187609	11	fpe	synthetic	high	f15	66bbe75c01e83091	v1|fpe|app15|sig11|f15|main	1796027884	875b9307abf550055de186dcba77920700000001	app15	1.1
62	4c31cc1dd60713dd09bd0fa5e01c98574fe889a826bba8edc31fa80b2af6fa91	ef6726302423fdc8ab549702df30098696b6d1bb84d6d5128f6d1433dc909aa4	/var/lib/corecollect/core.app13.3843052.1787575449.zst	host00008	/usr/bin/app13	app13	3843052	1787575449	11	assert	synthetic	high	f13	738032f6d1fb2e3a	v1|assert|app13|sig11|f13|main	1796027884	c4ca37b7f8ad8affc4ca37b7f8ad8aff00000000	app13	1.2
63	5f72fe27255b79dfc8a671db08a9cd7d0b7bf7bf6b21365963531d8f5143df3f	26ac6d8c6c2c1d119d2bb184e309e2a054791cbf21f4dde9d27666e46cbb4029	/var/lib/corecollect/core.app13.2137799.1789101840.zst	host00013	/usr/bin/app13	app13	2137799	1789101840	11	assert	synthetic	high	f13	738032f6d1fb2e3a	v1|assert|app13|sig11|f13|main	1796027884	c4ca37b7f8ad8affc4ca37b7f8ad8aff00000000	app13	1.2
64	7058dab4182f49db7ea8a11e3dce5dc9311a5f37729464ea59394b8ac37a9ed9	02e7103d8c1cde907fa0cb9d4bdd78741a2fea1aea870abc58fb0e4f45a4def4	/var/lib/corecollect/core.app11.3094150.1784301125.zst	host00009	/usr/bin/app11	app11	3094150	1784301125	11	heap-corruption	synthetic	high	f11	9089f05fbf88f8e7	v1|heap-corruption|app11|sig11|f11|main	1796027884	50f5647d2380309d943ff9fc99de8f0300000001	app11	1.1
65	08ec1487f4ae7b187744aca6867c042b3ee5f2c830fb567d060b015180e7ac83	d5546708bba9e42c64d37e64e20664c5795c0deebdb794960254c1b7c87b69f2	/var/lib/corecollect/core.app29.2183263.1788082889.zst	host00012	/usr/bin/app29	app29	2183263	1788082889	11	assert	synthetic	high	f29	abf42acc138fedbe	v1|assert|app29|sig11|f29|main	1796027884	bb7b49ab8801cf70bb7b49ab8801cf7000000000	app29	1.2
66	17dc48765f2259e297efebb1cc418a6889f2d400c41f3a6144b4a82fd8a90220	4a8a944c0ef7d31021c3877e623ee597db45b72c3d2db3e09978d50938971c32	/var/lib/corecollect/core.app10.3909736.1781482577.zst	host00002	/usr/bin/app10	app10	3909736	1781482577	11	stack-overflow	synthetic	high	f10	b32f0f46fbfbccde	v1|stack-overflow|app10|sig11|f10|main	1796027884	088712be8a582fca943ff9fc99de8f0300000002	app10	1.0
67	6721f3013f5ab7ebb6be37d15b119edc9e2cf1e363f846cc1e124aa70ab7f682	923e10abb3c2383a563b94ee7cb53b379e9d1baa35306df1f2400df680b62152	/var/lib/corecollect/core.app10.3903246.1779979308.zst	host00005	/usr/bin/app10	app10	3903246	1779979308	11	stack-overflow	synthetic	high	f10	b32f0f46fbfbccde	v1|stack-overflow|app10|sig11|f10|main	1796027884	088712be8a582fca943ff9fc99de8f0300000002	app10	1.0
68	bf59635ce3b95cbd3f6a55975e8ce4c82273e7397cf8722ff06d13449dc299f7	5a6735dc9ca407ab0061d4338a430d2f51d65e13a93217f58ab95e50dac56bd2	/var/lib/corecollect/core.app10.3312551.1783007747.zst	host00012	/usr/bin/app10	app10	3312551	1783007747	11	stack-overflow	synthetic	high	f10	b32f0f46fbfbccde	v1|stack-overflow|app10|sig11|f10|main	1796027884	088712be8a582fca943ff9fc99de8f0300000002	app10	1.0
69	7e775c0287acc3b7f28d85c2f4b7d0221808efa91828c8dd6678f6125e889939	a177832f8eff40ee70af35eebdba9eb5f0108f830c4b64c2e749e358b4f8aef5	/var/lib/corecollect/core.app27.913504.1789407497.zst	host00008	/usr/bin/app27	app27	913504	1789407497	11	heap-corruption	synthetic	high	f27	b41d1166f0fa7f73	v1|heap-corruption|app27|sig11|f27|main	1796027884	974e35325981068a974e35325981068a00000000	app27	1.2
70	a78659cdc21ce42a98ef649c461706784e679dab4d3a6baec379701d8a6ff37a	94356e0e5d085b41a1fe33e31b1415f61bb33a6afb6db5123a62720446d9c65d	/var/lib/corecollect/core.app24.3725480.1781745110.zst	host00001	/usr/bin/app24	app24	3725480	1781745110	11	null-deref	synthetic	high	f24	b4dc9bd462de412b	v1|null-deref|app24|sig11|f24|main	1796027884	aac8c00000a81e44c3b7f4e80f554dda00000002	app24	1.0
71	37e0008d3d7173b79e71b5b7f4148084947df2c639eae4cdf709fb061c31bff5	b000e0780e036fc2bd8b62c77783de54e1b686695f8fc90389d6531bebd2c577	/var/lib/corecollect/core.app6.1816886.1787454229.zst	host00011	/usr/bin/app6	app6	1816886	1787454229	11	bus-error	synthetic	high	f6	bba2aa66f998b193	v1|bus-error|app6|sig11|f6|main	1796027884	bd64a5d9adefe000bd64a5d9adefe00000000000	app6	1.2
72	6e27b4126ee938ddb991217f64e926e3d4652283c7cb031124b9533ba9d7c4d0	c60cfb2d8559e31594ea4cd2a1fd966ca312377f5a66bc6f35424035c607e045	/var/lib/corecollect/core.app6.2733404.1786265997.zst	host00018	/usr/bin/app6	app6	2733404	1786265997	11	bus-error	synthetic	high	f6	bba2aa66f998b193	v1|bus-error|app6|sig11|f6|main	1796027884	bd64a5d9adefe00063cbe1e459320dd700000001	app6	1.1
73	971af52edd744b1e5c781d3006f6bd37bcdac56aaa9e5a3f48fda3325818b7c0	a1a8003f73829129cf7e48ce64d9c5ad7e61dd6f09349b274d7494dcc19401f5	/var/lib/corecollect/core.app6.1920416.1786028003.zst	host00016	/usr/bin/app6	app6	1920416	1786028003	11	bus-error	synthetic	high	f6	bba2aa66f998b193	v1|bus-error|app6|sig11|f6|main	1796027884	bd64a5d9adefe00063cbe1e459320dd700000001	app6	1.1
74	afc70583a0c45af1b4a92d08ce23a97494cfc76eb80fc0876da2a2a86322d366	05d0d396e95aa96aad37c10cd105ff9106aa54e0b66058a87c5324ff3ae030d6	/var/lib/corecollect/core.app26.1145690.1784561130.zst	host00004	/usr/bin/app26	app26	1145690	1784561130	11	stack-overflow	synthetic	high	f26	ca87cb278bbed782	v1|stack-overflow|app26|sig11|f26|main	1796027884	c3b7f4e80f554dda974e35325981068a00000001	app26	1.1
75	90dd5bc0a7b165079da2006f0287625a8a45b9f6b8888f82d1ad2d46db493f9c	3854a0693172050f385be928cdb58289395eaae1c6ca087b02f317139c6fb4d2	/var/lib/corecollect/core.app9.1846517.1783467355.zst	host00019	/usr/bin/app9	app9	1846517	1783467355	11	abort	synthetic	high	f9	cd19f198025ce714	v1|abort|app9|sig11|f9|main	1796027884	aeaf52febe706064088712be8a582fca00000001	app9	1.1
76	b9c692c3110d5f002821002afb833828d8c28b91d0f205905b4241184ff5b3d9	45420b421ed2072b99bdd9c214ac459cbd530f43b8923232179a4a52ecddb9bb	/var/lib/corecollect/core.app9.454942.1783694919.zst	host00007	/usr/bin/app9	app9	454942	1783694919	11	abort	synthetic	high	f9	cd19f198025ce714	v1|abort|app9|sig11|f9|main	1796027884	aeaf52febe706064088712be8a582fca00000001	app9	1.1
77	ea306f341a9bdca9cd72c9b2d286ec4797ff61fec4ab444102c2cc35a5ea6bcf	c5b4e6e52b2a403709fa5d2455d82ecd67c63a5cb49c59e9edd4b9cb45765ce5	/var/lib/corecollect/core.app9.2020761.1789085717.zst	host00007	/usr/bin/app9	app9	2020761	1789085717	11	abort	synthetic	high	f9	cd19f198025ce714	v1|abort|app9|sig11|f9|main	1796027884	aeaf52febe706064aeaf52febe70606400000000	app9	1.2
78	0b852a2c50efb5d9558901fd0d081fedf8eb3ee6e21845e8354c14be82e1a937	3513af61d3cc17d066a6981a8f478a2ea077f9c6d09c6c5ebaa3438a19fff98a	/var/lib/corecollect/core.app2.1914715.1787466217.zst	host00010	/usr/bin/app2	app2	1914715	1787466217	11	stack-overflow	synthetic	high	f2	d1024a5fad64d717	v1|stack-overflow|app2|sig11|f2|main	1796027884	975835de1c9756ce975835de1c9756ce00000000	app2	1.2
79	3fb0a74f475869d7ff12fb0c4d81c3acf66c892bbf22b027bf7676c2ec9d894b	751f6dbac69f7505799b0c65ec3473e7b01906685ec93d7d6fe607a0b1ad990c	/var/lib/corecollect/core.app2.2562010.1780904490.zst	host00008	/usr/bin/app2	app2	2562010	1780904490	11	stack-overflow	synthetic	high	f2	d1024a5fad64d717	v1|stack-overflow|app2|sig11|f2|main	1796027884	975835de1c9756ce6e73e372e2338aca00000002	app2	1.0
80	6c93e552737f3576c8f84b6280206f618b032a2db6dcdadbf9d88b6062d701f7	8b65607b4ca3f369465897e547bcc95885521ea2c641986502c68890ef9f3cc6	/var/lib/corecollect/core.app2.3251657.1781645520.zst	host00005	/usr/bin/app2	app2	3251657	1781645520	11	stack-overflow	synthetic	high	f2	d1024a5fad64d717	v1|stack-overflow|app2|sig11|f2|main	1796027884	975835de1c9756ce6e73e372e2338aca00000002	app2	1.0
81	b593a945c2b37620a23db9aae0dc229a1209dc219ed8aba632d397f60bea1421	f4a31241d17afc96cc95c110a04868bbf41c95a6c1137ea61f8c086579fc8183	/var/lib/corecollect/core.app2.3127488.1783525246.zst	host00015	/usr/bin/app2	app2	3127488	1783525246	11	stack-overflow	synthetic	high	f2	d1024a5fad64d717	v1|stack-overflow|app2|sig11|f2|main	1796027884	975835de1c9756ce1d0b14e4db018fed00000001	app2	1.1
82	b93a42047e3d86fab94ef1738e6a00b74f52e52e5540f65054189d36cb3ecb66	6b84715db1d63948a736f1965294b9d41bfb1d3efa7f6786f068351cab06dce3	/var/lib/corecollect/core.app2.3023815.1787943410.zst	host00005	/usr/bin/app2	app2	3023815	1787943410	11	stack-overflow	synthetic	high	f2	d1024a5fad64d717	v1|stack-overflow|app2|sig11|f2|main	1796027884	975835de1c9756ce975835de1c9756ce00000000	app2	1.2
83	b9ee7d7b563a783ca02b3274e8a09c14c56f4b61d9a1fb181e88f700bb1cfc11	62f106fedf18ed39882e57d65b787513bc18b07c18cc636c2d1ca4f5432b33bc	/var/lib/corecollect/core.app2.3624110.1780457746.zst	host00007	/usr/bin/app2	app2	3624110	1780457746	11	stack-overflow	synthetic	high	f2	d1024a5fad64d717	v1|stack-overflow|app2|sig11|f2|main	1796027884	975835de1c9756ce6e73e372e2338aca00000002	app2	1.0
84	d93c51b3ff456650a39212066dce5da95c3c0a1d7af9773aeb1486e91e8315b7	d255d3c28813d04c7dfec9e6fec7ee448f2c2570ff1b16f160088089ef20dc16	/var/lib/corecollect/core.app2.21450.1782076401.zst	host00017	/usr/bin/app2	app2	21450	1782076401	11	stack-overflow	synthetic	high	f2	d1024a5fad64d717	v1|stack-overflow|app2|sig11|f2|main	1796027884	975835de1c9756ce6e73e372e2338aca00000002	app2	1.0
85	62a4f9b699d84248f451e003c395465c85e547f45addc91043b7a4008f7b35fc	b8d29dde278d818241edca8b2df17ffef485781153624ca086a81a89e03fd7d8	/var/lib/corecollect/core.app12.3475291.1789589025.zst	host00007	/usr/bin/app12	app12	3475291	1789589025	11	wild-jump	synthetic	high	f12	f9364c1f89270349	v1|wild-jump|app12|sig11|f12|main	1796027884	943ff9fc99de8f03943ff9fc99de8f0300000000	app12	1.2
86	a6efb13dc60fad396c564089167bc393567b31d8d4f0ff0ba057da3e7176a6d2	4b84b569ca0311c33fb60b5a41ad57cca901e5d74ada77d29e80eb9a02e16aec	/var/lib/corecollect/core.app12.3106979.1781629433.zst	host00004	/usr/bin/app12	app12	3106979	1781629433	11	wild-jump	synthetic	high	f12	f9364c1f89270349	v1|wild-jump|app12|sig11|f12|main	1796027884	943ff9fc99de8f036aa9d61435dbe63e00000002	app12	1.0
\.


--
-- Data for Name: failures; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.failures (bundle_key, bundle, reason, analyzer, failed_at, path_key) FROM stdin;
\.


--
-- Data for Name: sig_days; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.sig_days (signature, day, n, first_seen, last_seen, latest_key) FROM stdin;
269a3be7534e9862	20782	1	1795645659	1795645659	5145817cf7b55c3858c38cf713ba36bf52e24981eadaca01f26cdd76e1cd73af
50259772800afd23	20782	1	1795645663	1795645663	8b37f981f691fb628271821b8bc09ff6c8e1765e455c9d31e99e7657dea5b5b8
60e8c0da1310bfe0	20782	1	1795645662	1795645662	eb2883b3d2c37072087f29fa90e29b12509f5fccea8d72aede7db698426f9d71
68c07f2bd0eb7100	0	1	0	0	97fd725a37aa9348c78976376817e8c84a93a21d5b43ccb3b6c341394bc64370
7307530a5b02418f	20782	1	1795645664	1795645664	0f431565a1c631cdb89e010f5067ebe071ed02956056c4ba69ab8dc05f6ac60d
c7d32c0672374b56	20782	1	1795645660	1795645660	79641ab84b43de654fea9193223fc2b736cb03f700ebc79f34f7340d64cca186
02f590758a6d2936	20663	1	1785369264	1785369264	be4ccae1c6292216e87e4777d1a0e544153f02a5e0b0ba44e065612b3b69b422
11402f2430284f2c	20615	1	1781166829	1781166829	2bf76a8f6122373fb0c6e76a3f9ff48e2993793731c98c4bb9b6f8ae597588b6
11402f2430284f2c	20675	1	1786370704	1786370704	4ddec7102d9b1e7b04d116f2660d639f542954a82c653d710e7765da13f1a120
11402f2430284f2c	20699	1	1788410335	1788410335	bdd4271d1a65f4d23680e97eec664c319bd8bcce9336cd9b58e4dc21bc839ee0
19e7518defa0f0b0	20606	1	1780425004	1780425004	53bce937adf7f8f82869b0166d739277101e1c59c41af5366bfb6d28ce017fd2
19e7518defa0f0b0	20635	1	1782899723	1782899723	8ebd57ce092ad1de86af718ee70a989bbf7226b1511be764cb44345e2f31663d
19e7518defa0f0b0	20652	1	1784360629	1784360629	bbe11e158cca609b42d6a7cd80e4009283c0da8b42139e39862afd5b6d0d60c2
19e7518defa0f0b0	20607	1	1780523445	1780523445	e0566d686e61696bac27934afbfddd15f3e2bc390fe49d436aea21cc028e3592
225ac33c6d679b92	20648	1	1784023044	1784023044	3e12dc5286028335d8d765fc3b82e1a400959b4d4157cee3a9da2b5c27b3a31e
225ac33c6d679b92	20626	1	1782097247	1782097247	dda8d467fbc3f1b48c41ac49f3ad70bebcbac9828a398fedb25b0e15c6ff5353
230275d791e422cc	20657	1	1784778747	1784778747	13991a0ff854be2be58f8adf0c1ae162eee08fee7e577cd90d76f09f35fe3d09
230275d791e422cc	20715	1	1789776624	1789776624	4eb181481b18e4b0b71f0b0dbc9d11a97bbd2fac194c9e0247f10dedc3c5e6ea
230275d791e422cc	20642	1	1783540902	1783540902	922b02745ebed655eaee7e26da2dccb4dfe3218dec438d78784a239be9e1fbec
23259b94f13cf544	20643	1	1783639025	1783639025	0550672c130c58390361ea4d4759abf9c97f57b4dcb98a2a243a2950f82c1a09
23259b94f13cf544	20650	1	1784167458	1784167458	15af94992c383e9b0eda46624f16f20d5135e451a2131827cfd5afb8bbf162e4
23259b94f13cf544	20599	1	1779778820	1779778820	1bafe8fabf78ff2aa112a1491e5f48c51d2814c591cb6f7f8cbd688fa990ae9a
23259b94f13cf544	20640	1	1783346554	1783346554	2216857e926441edf7d3fd1148c133a9b4b26b43cd84b4d22e222425a334b7b7
23259b94f13cf544	20714	1	1789700497	1789700497	3ab026b49d032f114815394e35d505879abe881660875f2817b170f6e212efeb
23259b94f13cf544	20639	1	1783279711	1783279711	7de4bb5e58441b79b999ecabc60c08f35f2c9983203eda0481267e6d633bef62
23259b94f13cf544	20692	1	1787851957	1787851957	7e0fcedfe186cb1881b8300058af93b99e69f0113695d48d4f5b501709b0f9a2
23259b94f13cf544	20598	1	1779745745	1779745745	ab4dcc1a9aed544984793e098b717ef9c9d9c536efb1716b1c55bcf0c008109e
23259b94f13cf544	20715	1	1789833329	1789833329	b6c23b14927b5c15a2dd7f124af17d69e5afc7f2414bb6d644d3ccd01e9e0d93
2a8e80d0bea7e5b7	20606	1	1780421707	1780421707	9b4f38877a937eceaf1521125bf4bdf3aaeb465a8d0b0ed6c948de37e84a0ddb
42f3a9364c476be3	20659	1	1784962077	1784962077	1a97ea79a23f949450fc9d68ad182a07cf10a39363f8fc2340e03e6ed6113faa
42f3a9364c476be3	20671	1	1786045688	1786045688	326feb302500c9c2c33617b4ab21e804958f8164162c2d5a1529937e6601d67b
42f3a9364c476be3	20634	1	1782845786	1782845786	37f2f6c40561449cd11d4e2e7087231155f8ebd34776ea8cf74a55c2f0da716c
42f3a9364c476be3	20645	1	1783753225	1783753225	3f8820dedf23c158e4bcb7c263251156bb60b5e59ab93b2e7723518afc75800a
42f3a9364c476be3	20657	1	1784815392	1784815392	6830cde42060b39d42ed2b3121d67cb8605c8f44a2a0cda802fef043c358bc7a
42f3a9364c476be3	20715	1	1789798171	1789798171	696ad67b108ae7200a3bb9444db8dc253244c01d3e766a450fbe2d93c1c64df0
42f3a9364c476be3	20656	1	1784759991	1784759991	740bc6a5b5342745e9b13ec2dd1d1fc97b16559b7ca3f61826812311ebe2686a
42f3a9364c476be3	20660	1	1785030595	1785030595	74116689051189d8bffdd4cc4241f7ce85edabe2c1b9a982333f3f82a7876cdb
42f3a9364c476be3	20650	1	1784207482	1784207482	81901f9bc30e880b3e17fea8294e9a04676d563269a889fce0b10810b385efa1
42f3a9364c476be3	20713	2	1789604505	1789639001	85f37747530e10dcfe9f71993851a6a6896c06aee10c1a4e64b282852bbe251e
42f3a9364c476be3	20601	1	1779931441	1779931441	8e0128b84f437ad3df189b7606e18dd505c7e89145648612f952bb2b00c3e5c9
42f3a9364c476be3	20604	1	1780191071	1780191071	aa471bb7eb97f852626b00a2bdb0ce7cae6119ff082a691dbf0df66c5666bebf
42f3a9364c476be3	20618	1	1781429872	1781429872	c70c9e7850323571a6e7eea96a3490aba843458976b6e6e3f6b102e029828778
42f3a9364c476be3	20695	1	1788056129	1788056129	cc7416029b17a5e9264f07a7da442a7660b60a63bf047abbf0a1c2937ff03c1b
42f3a9364c476be3	20638	3	1783135605	1783159410	a63a19f6332eaf2560c6d8fe5fa3aa0969e8032139e1762ada0e4c363af42b25
42f3a9364c476be3	20691	1	1787728113	1787728113	d32f4e31743d6cd02025d41bafe886f9d301e2c981e43aca9d297f20c12b2bb2
42f3a9364c476be3	20675	1	1786388328	1786388328	eecbb5d3522e662ac6a8bdf354e36fb0aed89076b3ed6600c32dd18df9367519
42f3a9364c476be3	20673	2	1786191343	1786220099	710ab02378e4d3be99341103019d68e0d0b28f8deaced8f876e2d3595aeee1b5
47784b983a872ed6	20679	1	1786731417	1786731417	24d5e3f83bd16758418425ebc08c9a2b20a17a547be318a230b58b40c1e493e3
47784b983a872ed6	20669	1	1785875296	1785875296	435f7e22055fd3d10f3d5ab6f41316bdb3026cb9735201dc4777314081c8dc77
47784b983a872ed6	20703	1	1788750245	1788750245	453d10f7426eb9b98cf4fafbb9cb0cc932c0fea8c8cb2db57eb3c9194e5302e9
47784b983a872ed6	20668	1	1785782209	1785782209	7fc33618a5a83a839f58f4aabd5bf5af94c2f60ee42e78005611c91879683749
47784b983a872ed6	20698	1	1788352430	1788352430	a207d321391196ea49a18b2867510576cc3c1122a2ad59521dfec4b75257f7ab
47784b983a872ed6	20681	1	1786922814	1786922814	a9fc8ef7b98a32e12497e6f3f06e75a4ccd0a638379e371af73de45056fbc258
4b1bbcd2f7f4f4be	20599	1	1779788592	1779788592	b685e9c5d0ad9003e73d09d56292b4d733cd397bea7fdd9e8a42bbbbf1aa1e55
4eff0b08f92f0f6c	20702	1	1788656003	1788656003	e1853d21a61d1ec8d5d3eecfcc8cdd6ddc5356b1adb5579dba3927c943997a87
66bbe75c01e83091	20674	1	1786287596	1786287596	d05d2d8f83e4fd87f4575450316e9ac399d3d0dca8077b2311a8a6a995df457e
66bbe75c01e83091	20638	1	1783187609	1783187609	f59bc6045b4721ae56ebbf89d0dd254d70590af74a861db84bb3394f35d0a331
738032f6d1fb2e3a	20689	1	1787575449	1787575449	4c31cc1dd60713dd09bd0fa5e01c98574fe889a826bba8edc31fa80b2af6fa91
738032f6d1fb2e3a	20707	1	1789101840	1789101840	5f72fe27255b79dfc8a671db08a9cd7d0b7bf7bf6b21365963531d8f5143df3f
9089f05fbf88f8e7	20651	1	1784301125	1784301125	7058dab4182f49db7ea8a11e3dce5dc9311a5f37729464ea59394b8ac37a9ed9
abf42acc138fedbe	20695	1	1788082889	1788082889	08ec1487f4ae7b187744aca6867c042b3ee5f2c830fb567d060b015180e7ac83
b32f0f46fbfbccde	20619	1	1781482577	1781482577	17dc48765f2259e297efebb1cc418a6889f2d400c41f3a6144b4a82fd8a90220
b32f0f46fbfbccde	20601	1	1779979308	1779979308	6721f3013f5ab7ebb6be37d15b119edc9e2cf1e363f846cc1e124aa70ab7f682
b32f0f46fbfbccde	20636	1	1783007747	1783007747	bf59635ce3b95cbd3f6a55975e8ce4c82273e7397cf8722ff06d13449dc299f7
b41d1166f0fa7f73	20710	1	1789407497	1789407497	7e775c0287acc3b7f28d85c2f4b7d0221808efa91828c8dd6678f6125e889939
b4dc9bd462de412b	20622	1	1781745110	1781745110	a78659cdc21ce42a98ef649c461706784e679dab4d3a6baec379701d8a6ff37a
bba2aa66f998b193	20688	1	1787454229	1787454229	37e0008d3d7173b79e71b5b7f4148084947df2c639eae4cdf709fb061c31bff5
bba2aa66f998b193	20674	1	1786265997	1786265997	6e27b4126ee938ddb991217f64e926e3d4652283c7cb031124b9533ba9d7c4d0
bba2aa66f998b193	20671	1	1786028003	1786028003	971af52edd744b1e5c781d3006f6bd37bcdac56aaa9e5a3f48fda3325818b7c0
ca87cb278bbed782	20654	1	1784561130	1784561130	afc70583a0c45af1b4a92d08ce23a97494cfc76eb80fc0876da2a2a86322d366
cd19f198025ce714	20641	1	1783467355	1783467355	90dd5bc0a7b165079da2006f0287625a8a45b9f6b8888f82d1ad2d46db493f9c
cd19f198025ce714	20644	1	1783694919	1783694919	b9c692c3110d5f002821002afb833828d8c28b91d0f205905b4241184ff5b3d9
cd19f198025ce714	20707	1	1789085717	1789085717	ea306f341a9bdca9cd72c9b2d286ec4797ff61fec4ab444102c2cc35a5ea6bcf
d1024a5fad64d717	20688	1	1787466217	1787466217	0b852a2c50efb5d9558901fd0d081fedf8eb3ee6e21845e8354c14be82e1a937
d1024a5fad64d717	20612	1	1780904490	1780904490	3fb0a74f475869d7ff12fb0c4d81c3acf66c892bbf22b027bf7676c2ec9d894b
d1024a5fad64d717	20620	1	1781645520	1781645520	6c93e552737f3576c8f84b6280206f618b032a2db6dcdadbf9d88b6062d701f7
d1024a5fad64d717	20642	1	1783525246	1783525246	b593a945c2b37620a23db9aae0dc229a1209dc219ed8aba632d397f60bea1421
d1024a5fad64d717	20693	1	1787943410	1787943410	b93a42047e3d86fab94ef1738e6a00b74f52e52e5540f65054189d36cb3ecb66
d1024a5fad64d717	20607	1	1780457746	1780457746	b9ee7d7b563a783ca02b3274e8a09c14c56f4b61d9a1fb181e88f700bb1cfc11
d1024a5fad64d717	20625	1	1782076401	1782076401	d93c51b3ff456650a39212066dce5da95c3c0a1d7af9773aeb1486e91e8315b7
f9364c1f89270349	20712	1	1789589025	1789589025	62a4f9b699d84248f451e003c395465c85e547f45addc91043b7a4008f7b35fc
f9364c1f89270349	20620	1	1781629433	1781629433	a6efb13dc60fad396c564089167bc393567b31d8d4f0ff0ba057da3e7176a6d2
\.


--
-- Data for Name: sig_hosts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.sig_hosts (signature, host, n, last_seen) FROM stdin;
269a3be7534e9862	vm	1	1795645659
50259772800afd23	vm	1	1795645663
60e8c0da1310bfe0	vm	1	1795645662
68c07f2bd0eb7100		1	0
7307530a5b02418f	vm	1	1795645664
c7d32c0672374b56	vm	1	1795645660
02f590758a6d2936	host00000	1	1785369264
11402f2430284f2c	host00004	1	1781166829
11402f2430284f2c	host00002	1	1786370704
11402f2430284f2c	host00013	1	1788410335
19e7518defa0f0b0	host00013	1	1780425004
19e7518defa0f0b0	host00018	1	1782899723
19e7518defa0f0b0	host00010	1	1784360629
19e7518defa0f0b0	host00003	1	1780523445
225ac33c6d679b92	host00003	2	1784023044
230275d791e422cc	host00001	1	1784778747
230275d791e422cc	host00016	1	1789776624
230275d791e422cc	host00005	1	1783540902
23259b94f13cf544	host00010	1	1783639025
23259b94f13cf544	host00003	1	1784167458
23259b94f13cf544	host00017	1	1779778820
23259b94f13cf544	host00016	1	1783346554
23259b94f13cf544	host00013	1	1789700497
23259b94f13cf544	host00015	1	1783279711
23259b94f13cf544	host00014	1	1779745745
23259b94f13cf544	host00007	2	1789833329
2a8e80d0bea7e5b7	host00001	1	1780421707
42f3a9364c476be3	host00013	1	1786045688
42f3a9364c476be3	host00009	1	1789604505
42f3a9364c476be3	host00018	2	1785030595
42f3a9364c476be3	host00015	2	1784815392
42f3a9364c476be3	host00007	3	1786220099
42f3a9364c476be3	host00008	2	1789798171
42f3a9364c476be3	host00010	1	1780191071
42f3a9364c476be3	host00011	2	1782845786
42f3a9364c476be3	host00016	1	1788056129
42f3a9364c476be3	host00014	3	1789639001
42f3a9364c476be3	host00000	2	1786388328
42f3a9364c476be3	host00006	2	1787728113
47784b983a872ed6	host00007	1	1786731417
47784b983a872ed6	host00019	1	1785875296
47784b983a872ed6	host00005	1	1788750245
47784b983a872ed6	host00002	1	1788352430
47784b983a872ed6	host00017	2	1786922814
4b1bbcd2f7f4f4be	host00009	1	1779788592
4eff0b08f92f0f6c	host00002	1	1788656003
66bbe75c01e83091	host00004	1	1786287596
66bbe75c01e83091	host00013	1	1783187609
738032f6d1fb2e3a	host00008	1	1787575449
738032f6d1fb2e3a	host00013	1	1789101840
9089f05fbf88f8e7	host00009	1	1784301125
abf42acc138fedbe	host00012	1	1788082889
b32f0f46fbfbccde	host00002	1	1781482577
b32f0f46fbfbccde	host00005	1	1779979308
b32f0f46fbfbccde	host00012	1	1783007747
b41d1166f0fa7f73	host00008	1	1789407497
b4dc9bd462de412b	host00001	1	1781745110
bba2aa66f998b193	host00011	1	1787454229
bba2aa66f998b193	host00018	1	1786265997
bba2aa66f998b193	host00016	1	1786028003
ca87cb278bbed782	host00004	1	1784561130
cd19f198025ce714	host00019	1	1783467355
cd19f198025ce714	host00007	2	1789085717
d1024a5fad64d717	host00010	1	1787466217
d1024a5fad64d717	host00008	1	1780904490
d1024a5fad64d717	host00015	1	1783525246
d1024a5fad64d717	host00005	2	1787943410
d1024a5fad64d717	host00007	1	1780457746
d1024a5fad64d717	host00017	1	1782076401
f9364c1f89270349	host00007	1	1789589025
f9364c1f89270349	host00004	1	1781629433
\.


--
-- Data for Name: sig_versions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.sig_versions (signature, version, n, first_seen, last_seen) FROM stdin;
269a3be7534e9862	780f3fac9707f309bd2fae7f7c743cadedbbc481	1	1795645659	1795645659
50259772800afd23	8750cdc262ee744b9d1a4f2fca40f768f509797f	1	1795645663	1795645663
60e8c0da1310bfe0	4eb71daddd1e6464aef098cba17b8480ed95cd54	1	1795645662	1795645662
7307530a5b02418f	c25d2615042ff860a06daee221d28e03d8945346	1	1795645664	1795645664
c7d32c0672374b56	f30827384977304daef03f152f935da8b75a15c3	1	1795645660	1795645660
02f590758a6d2936	1.1	1	1785369264	1785369264
11402f2430284f2c	1.0	1	1781166829	1781166829
11402f2430284f2c	1.1	1	1786370704	1786370704
11402f2430284f2c	1.2	1	1788410335	1788410335
19e7518defa0f0b0	1.1	1	1784360629	1784360629
19e7518defa0f0b0	1.0	3	1780425004	1782899723
225ac33c6d679b92	1.1	1	1784023044	1784023044
225ac33c6d679b92	1.0	1	1782097247	1782097247
230275d791e422cc	1.2	1	1789776624	1789776624
230275d791e422cc	1.1	2	1783540902	1784778747
23259b94f13cf544	1.1	4	1783279711	1784167458
23259b94f13cf544	1.0	2	1779745745	1779778820
23259b94f13cf544	1.2	3	1787851957	1789833329
2a8e80d0bea7e5b7	1.0	1	1780421707	1780421707
42f3a9364c476be3	1.0	4	1779931441	1782845786
42f3a9364c476be3	1.2	5	1787728113	1789798171
42f3a9364c476be3	1.1	13	1783135605	1786388328
47784b983a872ed6	1.1	2	1785782209	1785875296
47784b983a872ed6	1.2	4	1786731417	1788750245
4b1bbcd2f7f4f4be	1.0	1	1779788592	1779788592
4eff0b08f92f0f6c	1.2	1	1788656003	1788656003
66bbe75c01e83091	1.1	2	1783187609	1786287596
738032f6d1fb2e3a	1.2	2	1787575449	1789101840
9089f05fbf88f8e7	1.1	1	1784301125	1784301125
abf42acc138fedbe	1.2	1	1788082889	1788082889
b32f0f46fbfbccde	1.0	3	1779979308	1783007747
b41d1166f0fa7f73	1.2	1	1789407497	1789407497
b4dc9bd462de412b	1.0	1	1781745110	1781745110
bba2aa66f998b193	1.2	1	1787454229	1787454229
bba2aa66f998b193	1.1	2	1786028003	1786265997
ca87cb278bbed782	1.1	1	1784561130	1784561130
cd19f198025ce714	1.1	2	1783467355	1783694919
cd19f198025ce714	1.2	1	1789085717	1789085717
d1024a5fad64d717	1.1	1	1783525246	1783525246
d1024a5fad64d717	1.2	2	1787466217	1787943410
d1024a5fad64d717	1.0	4	1780457746	1782076401
f9364c1f89270349	1.2	1	1789589025	1789589025
f9364c1f89270349	1.0	1	1781629433	1781629433
\.


--
-- Data for Name: signatures; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.signatures (signature, class, exe, exe_name, signature_text, detail, crash_frame, total, hosts, first_seen, last_seen, latest_key, latest_bundle, first_version) FROM stdin;
269a3be7534e9862	null-deref	/tmp/coreinspect-fixtures/bin/crash_segv	crash_segv	v1|null-deref|crash_segv|sig11|store_through|main	write to NULL+0x0 in store_through (crash_segv.c:8) (rax is NULL)	store_through	1	1	1795645659	1795645659	5145817cf7b55c3858c38cf713ba36bf52e24981eadaca01f26cdd76e1cd73af	/tmp/pgpart/store/segv.zst	780f3fac9707f309bd2fae7f7c743cadedbbc481
50259772800afd23	null-deref	/tmp/coreinspect-fixtures/bin/crash_in_lib	crash_in_lib	v1|null-deref|crash_in_lib|sig11|crashlib_sum|main	read from NULL+0x0 in crashlib_sum (crashlib.c:8) (rax is NULL)	crashlib_sum	1	1	1795645663	1795645663	8b37f981f691fb628271821b8bc09ff6c8e1765e455c9d31e99e7657dea5b5b8	/tmp/pgpart/store/lib.zst	8750cdc262ee744b9d1a4f2fca40f768f509797f
60e8c0da1310bfe0	null-deref	/tmp/coreinspect-fixtures/bin/crash_inline	crash_inline	v1|null-deref|crash_inline|sig11|poke|middle|outer|main	write to NULL+0x0 in poke (crash_inline.c:8) (rdi is NULL)	poke	1	1	1795645662	1795645662	eb2883b3d2c37072087f29fa90e29b12509f5fccea8d72aede7db698426f9d71	/tmp/pgpart/store/inline.zst	4eb71daddd1e6464aef098cba17b8480ed95cd54
68c07f2bd0eb7100	null-deref	/tmp/coreinspect-fixtures/bin/crash_segv	crash_segv	v1|null-deref|crash_segv|sig11|crash_segv+0x117b|crash_segv+0x1211	access to NULL+0x0 in crash_segv+0x117b [ELF missing for crash_segv]	crash_segv+0x117b	1	0	0	0	97fd725a37aa9348c78976376817e8c84a93a21d5b43ccb3b6c341394bc64370	/tmp/pgpart/store/segv.core.zst	\N
7307530a5b02418f	abort	/tmp/coreinspect-fixtures/bin/crash_abort	crash_abort	v1|abort|crash_abort|sig6|give_up|main	abort() called by the program in give_up (crash_abort.c:4)	give_up	1	1	1795645664	1795645664	0f431565a1c631cdb89e010f5067ebe071ed02956056c4ba69ab8dc05f6ac60d	/tmp/pgpart/store/abort.zst	c25d2615042ff860a06daee221d28e03d8945346
c7d32c0672374b56	null-deref	/tmp/coreinspect-fixtures/bin/crash_thread	crash_thread	v1|null-deref|crash_thread|sig11|worker_fault|worker	write to NULL+0x0 in worker_fault (crash_thread.c:9) (rax is NULL)	worker_fault	1	1	1795645660	1795645660	79641ab84b43de654fea9193223fc2b736cb03f700ebc79f34f7340d64cca186	/tmp/pgpart/store/threads.zst	f30827384977304daef03f152f935da8b75a15c3
02f590758a6d2936	assert	/usr/bin/app21	app21	v1|assert|app21|sig11|f21|main	synthetic	f21	1	1	1785369264	1785369264	be4ccae1c6292216e87e4777d1a0e544153f02a5e0b0ba44e065612b3b69b422	/var/lib/corecollect/core.app21.2575940.1785369264.zst	1.1
11402f2430284f2c	heap-corruption	/usr/bin/app3	app3	v1|heap-corruption|app3|sig11|f3|main	synthetic	f3	3	3	1781166829	1788410335	bdd4271d1a65f4d23680e97eec664c319bd8bcce9336cd9b58e4dc21bc839ee0	/var/lib/corecollect/core.app3.1830979.1788410335.zst	1.0
19e7518defa0f0b0	wild-jump	/usr/bin/app4	app4	v1|wild-jump|app4|sig11|f4|main	synthetic	f4	4	4	1780425004	1784360629	bbe11e158cca609b42d6a7cd80e4009283c0da8b42139e39862afd5b6d0d60c2	/var/lib/corecollect/core.app4.2178456.1784360629.zst	1.0
225ac33c6d679b92	fpe	/usr/bin/app7	app7	v1|fpe|app7|sig11|f7|main	synthetic	f7	2	1	1782097247	1784023044	3e12dc5286028335d8d765fc3b82e1a400959b4d4157cee3a9da2b5c27b3a31e	/var/lib/corecollect/core.app7.111475.1784023044.zst	1.0
230275d791e422cc	null-deref	/usr/bin/app8	app8	v1|null-deref|app8|sig11|f8|main	synthetic	f8	3	3	1783540902	1789776624	4eb181481b18e4b0b71f0b0dbc9d11a97bbd2fac194c9e0247f10dedc3c5e6ea	/var/lib/corecollect/core.app8.1670170.1789776624.zst	1.1
23259b94f13cf544	abort	/usr/bin/app1	app1	v1|abort|app1|sig11|f1|main	synthetic	f1	9	8	1779745745	1789833329	b6c23b14927b5c15a2dd7f124af17d69e5afc7f2414bb6d644d3ccd01e9e0d93	/var/lib/corecollect/core.app1.1244744.1789833329.zst	1.0
2a8e80d0bea7e5b7	wild-jump	/usr/bin/app20	app20	v1|wild-jump|app20|sig11|f20|main	synthetic	f20	1	1	1780421707	1780421707	9b4f38877a937eceaf1521125bf4bdf3aaeb465a8d0b0ed6c948de37e84a0ddb	/var/lib/corecollect/core.app20.3113186.1780421707.zst	1.0
42f3a9364c476be3	null-deref	/usr/bin/app0	app0	v1|null-deref|app0|sig11|f0|main	synthetic	f0	22	12	1779931441	1789798171	696ad67b108ae7200a3bb9444db8dc253244c01d3e766a450fbe2d93c1c64df0	/var/lib/corecollect/core.app0.1180630.1789798171.zst	1.0
47784b983a872ed6	assert	/usr/bin/app5	app5	v1|assert|app5|sig11|f5|main	synthetic	f5	6	5	1785782209	1788750245	453d10f7426eb9b98cf4fafbb9cb0cc932c0fea8c8cb2db57eb3c9194e5302e9	/var/lib/corecollect/core.app5.943251.1788750245.zst	1.1
4b1bbcd2f7f4f4be	stack-overflow	/usr/bin/app18	app18	v1|stack-overflow|app18|sig11|f18|main	synthetic	f18	1	1	1779788592	1779788592	b685e9c5d0ad9003e73d09d56292b4d733cd397bea7fdd9e8a42bbbbf1aa1e55	/var/lib/corecollect/core.app18.3010330.1779788592.zst	1.0
4eff0b08f92f0f6c	null-deref	/usr/bin/app16	app16	v1|null-deref|app16|sig11|f16|main	synthetic	f16	1	1	1788656003	1788656003	e1853d21a61d1ec8d5d3eecfcc8cdd6ddc5356b1adb5579dba3927c943997a87	/var/lib/corecollect/core.app16.660180.1788656003.zst	1.2
66bbe75c01e83091	fpe	/usr/bin/app15	app15	v1|fpe|app15|sig11|f15|main	synthetic	f15	2	2	1783187609	1786287596	d05d2d8f83e4fd87f4575450316e9ac399d3d0dca8077b2311a8a6a995df457e	/var/lib/corecollect/core.app15.2451590.1786287596.zst	1.1
738032f6d1fb2e3a	assert	/usr/bin/app13	app13	v1|assert|app13|sig11|f13|main	synthetic	f13	2	2	1787575449	1789101840	5f72fe27255b79dfc8a671db08a9cd7d0b7bf7bf6b21365963531d8f5143df3f	/var/lib/corecollect/core.app13.2137799.1789101840.zst	1.2
9089f05fbf88f8e7	heap-corruption	/usr/bin/app11	app11	v1|heap-corruption|app11|sig11|f11|main	synthetic	f11	1	1	1784301125	1784301125	7058dab4182f49db7ea8a11e3dce5dc9311a5f37729464ea59394b8ac37a9ed9	/var/lib/corecollect/core.app11.3094150.1784301125.zst	1.1
abf42acc138fedbe	assert	/usr/bin/app29	app29	v1|assert|app29|sig11|f29|main	synthetic	f29	1	1	1788082889	1788082889	08ec1487f4ae7b187744aca6867c042b3ee5f2c830fb567d060b015180e7ac83	/var/lib/corecollect/core.app29.2183263.1788082889.zst	1.2
b32f0f46fbfbccde	stack-overflow	/usr/bin/app10	app10	v1|stack-overflow|app10|sig11|f10|main	synthetic	f10	3	3	1779979308	1783007747	bf59635ce3b95cbd3f6a55975e8ce4c82273e7397cf8722ff06d13449dc299f7	/var/lib/corecollect/core.app10.3312551.1783007747.zst	1.0
b41d1166f0fa7f73	heap-corruption	/usr/bin/app27	app27	v1|heap-corruption|app27|sig11|f27|main	synthetic	f27	1	1	1789407497	1789407497	7e775c0287acc3b7f28d85c2f4b7d0221808efa91828c8dd6678f6125e889939	/var/lib/corecollect/core.app27.913504.1789407497.zst	1.2
b4dc9bd462de412b	null-deref	/usr/bin/app24	app24	v1|null-deref|app24|sig11|f24|main	synthetic	f24	1	1	1781745110	1781745110	a78659cdc21ce42a98ef649c461706784e679dab4d3a6baec379701d8a6ff37a	/var/lib/corecollect/core.app24.3725480.1781745110.zst	1.0
bba2aa66f998b193	bus-error	/usr/bin/app6	app6	v1|bus-error|app6|sig11|f6|main	synthetic	f6	3	3	1786028003	1787454229	37e0008d3d7173b79e71b5b7f4148084947df2c639eae4cdf709fb061c31bff5	/var/lib/corecollect/core.app6.1816886.1787454229.zst	1.1
ca87cb278bbed782	stack-overflow	/usr/bin/app26	app26	v1|stack-overflow|app26|sig11|f26|main	synthetic	f26	1	1	1784561130	1784561130	afc70583a0c45af1b4a92d08ce23a97494cfc76eb80fc0876da2a2a86322d366	/var/lib/corecollect/core.app26.1145690.1784561130.zst	1.1
cd19f198025ce714	abort	/usr/bin/app9	app9	v1|abort|app9|sig11|f9|main	synthetic	f9	3	2	1783467355	1789085717	ea306f341a9bdca9cd72c9b2d286ec4797ff61fec4ab444102c2cc35a5ea6bcf	/var/lib/corecollect/core.app9.2020761.1789085717.zst	1.1
d1024a5fad64d717	stack-overflow	/usr/bin/app2	app2	v1|stack-overflow|app2|sig11|f2|main	synthetic	f2	7	6	1780457746	1787943410	b93a42047e3d86fab94ef1738e6a00b74f52e52e5540f65054189d36cb3ecb66	/var/lib/corecollect/core.app2.3023815.1787943410.zst	1.0
f9364c1f89270349	wild-jump	/usr/bin/app12	app12	v1|wild-jump|app12|sig11|f12|main	synthetic	f12	2	2	1781629433	1789589025	62a4f9b699d84248f451e003c395465c85e547f45addc91043b7a4008f7b35fc	/var/lib/corecollect/core.app12.3475291.1789589025.zst	1.0
\.


--
-- Name: crashes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.crashes_id_seq', 86, true);


--
-- Name: coreinspect_meta coreinspect_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coreinspect_meta
    ADD CONSTRAINT coreinspect_meta_pkey PRIMARY KEY (key);


--
-- Name: crashes crashes_crash_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.crashes
    ADD CONSTRAINT crashes_crash_key_key UNIQUE (crash_key);


--
-- Name: crashes crashes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.crashes
    ADD CONSTRAINT crashes_pkey PRIMARY KEY (id);


--
-- Name: failures failures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.failures
    ADD CONSTRAINT failures_pkey PRIMARY KEY (bundle_key);


--
-- Name: sig_days sig_days_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sig_days
    ADD CONSTRAINT sig_days_pkey PRIMARY KEY (signature, day);


--
-- Name: sig_hosts sig_hosts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sig_hosts
    ADD CONSTRAINT sig_hosts_pkey PRIMARY KEY (signature, host);


--
-- Name: sig_versions sig_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sig_versions
    ADD CONSTRAINT sig_versions_pkey PRIMARY KEY (signature, version);


--
-- Name: signatures signatures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signatures
    ADD CONSTRAINT signatures_pkey PRIMARY KEY (signature);


--
-- Name: crashes_bundle_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX crashes_bundle_key ON public.crashes USING btree (bundle_key);


--
-- Name: crashes_exe_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX crashes_exe_name ON public.crashes USING btree (exe_name);


--
-- Name: crashes_exe_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX crashes_exe_time ON public.crashes USING btree (exe, "time");


--
-- Name: crashes_host_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX crashes_host_time ON public.crashes USING btree (host, "time");


--
-- Name: crashes_signature_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX crashes_signature_time ON public.crashes USING btree (signature, "time");


--
-- Name: crashes_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX crashes_time ON public.crashes USING btree ("time");


--
-- Name: failures_path_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX failures_path_key ON public.failures USING btree (path_key);


--
-- Name: sig_days_day; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sig_days_day ON public.sig_days USING btree (day);


--
-- Name: sig_hosts_host; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sig_hosts_host ON public.sig_hosts USING btree (host);


--
-- Name: sig_versions_version; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sig_versions_version ON public.sig_versions USING btree (version);


--
-- Name: signatures_class; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signatures_class ON public.signatures USING btree (class);


--
-- Name: signatures_exe_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signatures_exe_name ON public.signatures USING btree (exe_name);


--
-- Name: signatures_last_seen; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX signatures_last_seen ON public.signatures USING btree (last_seen);


--
-- PostgreSQL database dump complete
--


