package status_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/status"
)

const (
	revocationURL = "https://district.example/status/revocation/1"
	suspensionURL = "https://district.example/status/suspension/1"
)

// Issue a list, sign it, check it: the whole round trip, for bits at
// both ends of the list and in between.
func TestRoundTrip(t *testing.T) {
	engine := newEngine(t)
	signer := newSigner(t, engine)
	last := status.MinBits - 1
	revoked := newList(t, 0, 9, last)
	suspended := newList(t, 5)
	c := newChecker(t, engine, docs{
		revocationURL: publish(t, signer, revocationURL, status.PurposeRevocation, revoked),
		suspensionURL: publish(t, signer, suspensionURL, status.PurposeSuspension, suspended),
	})

	cases := []struct {
		url, purpose string
		index        int
		want         status.Status
	}{
		{revocationURL, status.PurposeRevocation, 0, status.Revoked},
		{revocationURL, status.PurposeRevocation, 9, status.Revoked},
		{revocationURL, status.PurposeRevocation, last, status.Revoked},
		{revocationURL, status.PurposeRevocation, 1, status.Active},
		{revocationURL, status.PurposeRevocation, last - 1, status.Active},
		{suspensionURL, status.PurposeSuspension, 5, status.Suspended},
		{suspensionURL, status.PurposeSuspension, 0, status.Active},
	}
	for _, tc := range cases {
		r := checkOne(t, c, credentialWith(signer.Issuer(), status.Entry(tc.url, tc.purpose, tc.index)))
		wantStatus(t, r, tc.want)
		if r.Index != tc.index {
			t.Errorf("index %d, want %d", r.Index, tc.index)
		}
	}
}

// Both entries of a credential are checked, each list fetched once.
func TestTwoEntries(t *testing.T) {
	engine := newEngine(t)
	signer := newSigner(t, engine)
	d := docs{
		revocationURL: publish(t, signer, revocationURL, status.PurposeRevocation, newList(t)),
		suspensionURL: publish(t, signer, suspensionURL, status.PurposeSuspension, newList(t, 42)),
	}
	fetches := map[string]int{}
	c, err := status.New(status.Config{Engine: engine, Resolver: testResolver(),
		Fetch: func(ctx context.Context, url string) ([]byte, error) {
			fetches[url]++
			return d.fetch(ctx, url)
		}})
	if err != nil {
		t.Fatal(err)
	}

	cred := credentialWith(signer.Issuer(),
		status.Entry(revocationURL, status.PurposeRevocation, 42),
		status.Entry(suspensionURL, status.PurposeSuspension, 42),
		status.Entry(revocationURL, status.PurposeRevocation, 43))
	results := c.Check(context.Background(), cred)

	if len(results) != 3 {
		t.Fatalf("got %d results, want 3", len(results))
	}
	for i, want := range []status.Status{status.Active, status.Suspended, status.Active} {
		wantStatus(t, results[i], want)
	}
	if fetches[revocationURL] != 1 || fetches[suspensionURL] != 1 {
		t.Errorf("fetches %v, want each list once", fetches)
	}
	if got, _ := status.Summarize(results); got != status.Suspended {
		t.Errorf("summary %v, want suspended", got)
	}
}

// Every way a list can fail ends Unknown with the matching sentinel.
func TestListFailures(t *testing.T) {
	engine := newEngine(t)
	signer := newSigner(t, engine)
	stranger := newSigner(t, engine)
	entry := status.Entry(revocationURL, status.PurposeRevocation, 3)
	revocations := func(s *issuer.Signer, set ...int) []byte {
		return publish(t, s, revocationURL, status.PurposeRevocation, newList(t, set...))
	}
	rawBits := multibase.EncodeBase64URL(make([]byte, 16384))

	cases := []struct {
		name string
		doc  []byte
		want error
	}{
		{"other issuer", revocations(stranger), status.ErrIssuerMismatch},
		{"tampered list", tamper(t, revocations(signer, 3)), status.ErrListInvalid},
		{"purpose mismatch", publish(t, signer, revocationURL, "suspension", newList(t)), status.ErrListInvalid},
		{"expired", signedList(t, signer, listEdit{validUntil: "2020-01-01T00:00:00Z"}), status.ErrListInvalid},
		{"not yet valid", signedList(t, signer, listEdit{validFrom: "2999-01-01T00:00:00Z"}), status.ErrListInvalid},
		{"wrong type", signedList(t, signer, listEdit{typ: "VerifiableCredential"}), status.ErrListInvalid},
		{"unsigned", unsignedList(t, signer), status.ErrListInvalid},
		{"truncated encodedList", signedList(t, signer, listEdit{encoded: truncated(t)}), status.ErrDecode},
		{"gzip cut short", signedList(t, signer, listEdit{encoded: cutGzip(t)}), status.ErrDecode},
		{"raw bytes, not gzip", signedList(t, signer, listEdit{encoded: rawBits}), status.ErrDecode},
		{"base58, not base64url", signedList(t, signer, listEdit{encoded: "z1111"}), status.ErrDecode},
		{"too short", signedList(t, signer, listEdit{encoded: gzipped(t, make([]byte, 16383))}), status.ErrListLength},
		{"not JSON", []byte("not json"), status.ErrListInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChecker(t, engine, docs{revocationURL: tc.doc})
			r := checkOne(t, c, credentialWith(signer.Issuer(), entry))
			wantStatus(t, r, status.Unknown)
			if !errors.Is(r.Err, tc.want) {
				t.Errorf("err %v, want %v", r.Err, tc.want)
			}
		})
	}
}

// A list signed with a key its controller lists for authentication only
// is not the issuer's word: the status is unknown, and the reason says why.
func TestListKeyNotForAssertion(t *testing.T) {
	engine := newEngine(t)
	signer := newSigner(t, engine)
	authOnly := proof.ResolverFunc(func(_ context.Context, id string) (*keys.VerificationMethod, error) {
		m, err := keys.ResolveDIDKey(id)
		if err == nil {
			m.Relationships = keys.Relationships{Known: true, Authentication: true}
		}
		return m, err
	})
	d := docs{revocationURL: publish(t, signer, revocationURL, status.PurposeRevocation, newList(t))}
	c, err := status.New(status.Config{Fetch: d.fetch, Engine: engine, Resolver: authOnly})
	if err != nil {
		t.Fatal(err)
	}

	entry := status.Entry(revocationURL, status.PurposeRevocation, 3)
	r := checkOne(t, c, credentialWith(signer.Issuer(), entry))
	wantStatus(t, r, status.Unknown)
	if !errors.Is(r.Err, status.ErrListInvalid) || !errors.Is(r.Err, proof.ErrPurposeNotAuthorized) ||
		!strings.Contains(r.Reason, "assertionMethod") {
		t.Fatalf("err %v, reason %q", r.Err, r.Reason)
	}
}

// A compression bomb is refused quickly, with a reason.
func TestCompressionBomb(t *testing.T) {
	engine := newEngine(t)
	signer := newSigner(t, engine)
	bomb := gzipBomb(t)
	c := newChecker(t, engine, docs{revocationURL: signedList(t, signer, listEdit{encoded: bomb})})

	start := time.Now()
	r := checkOne(t, c, credentialWith(signer.Issuer(), status.Entry(revocationURL, status.PurposeRevocation, 1)))
	elapsed := time.Since(start)

	wantStatus(t, r, status.Unknown)
	if !errors.Is(r.Err, status.ErrDecode) || !strings.Contains(r.Reason, "larger than Laurel accepts") {
		t.Errorf("err %v, reason %q", r.Err, r.Reason)
	}
	if elapsed > time.Second {
		t.Errorf("refusing the bomb took %v", elapsed)
	}
}

// Entries the checker cannot use are Unknown, never Active.
func TestEntryFailures(t *testing.T) {
	engine := newEngine(t)
	signer := newSigner(t, engine)
	c := newChecker(t, engine, docs{
		revocationURL: publish(t, signer, revocationURL, status.PurposeRevocation, newList(t)),
	})
	good := func(edit func(map[string]any)) map[string]any {
		e := status.Entry(revocationURL, status.PurposeRevocation, 3)
		edit(e)
		return e
	}
	set := func(key string, v any) map[string]any { return good(func(e map[string]any) { e[key] = v }) }
	drop := func(key string) map[string]any { return good(func(e map[string]any) { delete(e, key) }) }

	cases := []struct {
		name  string
		entry map[string]any
		want  error
	}{
		{"index past the end", set("statusListIndex", strconv.Itoa(status.MinBits)), status.ErrIndexRange},
		{"huge index", set("statusListIndex", "99999999999999999999999"), status.ErrIndexRange},
		{"negative index", set("statusListIndex", "-1"), status.ErrMalformedEntry},
		{"signed index", set("statusListIndex", "+1"), status.ErrMalformedEntry},
		{"fractional index", set("statusListIndex", 2.5), status.ErrMalformedEntry},
		{"no index", drop("statusListIndex"), status.ErrMalformedEntry},
		{"no list URL", drop("statusListCredential"), status.ErrMalformedEntry},
		{"relative list URL", set("statusListCredential", "/status/1"), status.ErrMalformedEntry},
		{"no purpose", drop("statusPurpose"), status.ErrMalformedEntry},
		{"message purpose", set("statusPurpose", "message"), status.ErrUnsupported},
		{"status size 2", set("statusSize", 2.0), status.ErrUnsupported},
		{"status size 0", set("statusSize", 0.0), status.ErrMalformedEntry},
		{"unknown type", set("type", "StatusList2021Entry"), status.ErrUnknownType},
		{"list not found", set("statusListCredential", "https://district.example/none"), status.ErrFetch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := checkOne(t, c, credentialWith(signer.Issuer(), tc.entry))
			wantStatus(t, r, status.Unknown)
			if !errors.Is(r.Err, tc.want) {
				t.Errorf("err %v, want %v", r.Err, tc.want)
			}
		})
	}
}

// statusSize 1 and a numeric index are accepted.
func TestLenientEntry(t *testing.T) {
	engine := newEngine(t)
	signer := newSigner(t, engine)
	c := newChecker(t, engine, docs{
		revocationURL: publish(t, signer, revocationURL, status.PurposeRevocation, newList(t, 23)),
	})
	e := status.Entry(revocationURL, status.PurposeRevocation, 0)
	e["statusListIndex"] = 23.0
	e["statusSize"] = 1.0

	wantStatus(t, checkOne(t, c, credentialWith(signer.Issuer(), e)), status.Revoked)
}

// The shape of credentialStatus itself.
func TestStatusShapes(t *testing.T) {
	engine := newEngine(t)
	c := newChecker(t, engine, docs{})
	many := make([]any, status.MaxEntries+1)
	for i := range many {
		many[i] = status.Entry(revocationURL, status.PurposeRevocation, i)
	}

	if got := c.Check(context.Background(), map[string]any{"issuer": "did:example:1"}); len(got) != 0 {
		t.Errorf("no credentialStatus gave %d results", len(got))
	}
	for name, v := range map[string]any{"too many": many, "a string": "revoked", "not an object": []any{7.0}} {
		r := checkOne(t, c, map[string]any{"issuer": "did:example:1", "credentialStatus": v})
		wantStatus(t, r, status.Unknown)
		if !errors.Is(r.Err, status.ErrMalformedEntry) {
			t.Errorf("%s: err %v", name, r.Err)
		}
	}
}

// Without a Fetch every list is unknown.
func TestNoFetch(t *testing.T) {
	c, err := status.New(status.Config{Engine: newEngine(t), Resolver: testResolver()})
	if err != nil {
		t.Fatal(err)
	}
	r := checkOne(t, c, credentialWith("did:example:1", status.Entry(revocationURL, status.PurposeRevocation, 1)))
	wantStatus(t, r, status.Unknown)
	if !errors.Is(r.Err, status.ErrFetch) {
		t.Errorf("err %v", r.Err)
	}
}

func TestNewRefusesMissingParts(t *testing.T) {
	if _, err := status.New(status.Config{Resolver: testResolver()}); err == nil {
		t.Error("no engine accepted")
	}
	if _, err := status.New(status.Config{Engine: newEngine(t)}); err == nil {
		t.Error("no resolver accepted")
	}
}

func TestSummarize(t *testing.T) {
	r := func(s status.Status) status.Result { return status.Result{Status: s, Reason: s.String()} }
	cases := []struct {
		in   []status.Result
		want status.Status
	}{
		{nil, status.Active},
		{[]status.Result{r(status.Active), r(status.Active)}, status.Active},
		{[]status.Result{r(status.Active), r(status.Unknown)}, status.Unknown},
		{[]status.Result{r(status.Unknown), r(status.Suspended)}, status.Suspended},
		{[]status.Result{r(status.Suspended), r(status.Revoked), r(status.Unknown)}, status.Revoked},
	}
	for _, tc := range cases {
		got, sentence := status.Summarize(tc.in)
		if got != tc.want || sentence == "" {
			t.Errorf("Summarize(%v) = %v %q, want %v", tc.in, got, sentence, tc.want)
		}
	}
}

// listEdit changes a list credential before it is signed.
type listEdit struct {
	validFrom, validUntil, typ, encoded string
}

// signedList signs a revocation list credential of signer, edited.
func signedList(t *testing.T, signer *issuer.Signer, edit listEdit) []byte {
	t.Helper()
	return sign(t, signer, editedList(t, signer.Issuer(), edit))
}

// unsignedList is a well-formed list credential with no proof.
func unsignedList(t *testing.T, signer *issuer.Signer) []byte {
	t.Helper()
	b, err := json.Marshal(editedList(t, signer.Issuer(), listEdit{}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tamper sets every bit of a signed list after signing, as someone
// rewriting the published file would.
func tamper(t *testing.T, signed []byte) []byte {
	t.Helper()
	doc := decode(t, signed)
	doc["credentialSubject"].(map[string]any)["encodedList"] = gzipped(t, bytes.Repeat([]byte{0xff}, 16384))
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// truncated is a valid encodedList cut short.
func truncated(t *testing.T) string {
	t.Helper()
	s, err := newList(t, 1).Encode()
	if err != nil {
		t.Fatal(err)
	}
	return s[:len(s)-8]
}

// cutGzip is a GZIP stream missing its last bytes, re-encoded whole.
func cutGzip(t *testing.T) string {
	t.Helper()
	s, err := newList(t, 1).Encode()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := multibase.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return multibase.EncodeBase64URL(raw[:len(raw)-6])
}

// gzipped encodes bits as an encodedList, whatever their length.
func gzipped(t *testing.T, bits []byte) string {
	t.Helper()
	return gzipStream(t, bytes.NewReader(bits))
}

// gzipStream compresses r as it reads it, so a large input never sits in
// memory whole.
func gzipStream(t *testing.T, r io.Reader) string {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(zw, r); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return multibase.EncodeBase64URL(buf.Bytes())
}

// gzipBomb is 100 MiB of zeros as an encodedList of about 170 KB: ten
// concatenated GZIP members (RFC 1952 §2.2) of 10 MiB each, compressed
// from a stream at the fastest level so the test stays quick under -race.
func gzipBomb(t *testing.T) string {
	t.Helper()
	var member bytes.Buffer
	zw, err := gzip.NewWriterLevel(&member, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(zw, io.LimitReader(zeros{}, 10<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return multibase.EncodeBase64URL(bytes.Repeat(member.Bytes(), 10))
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func editedList(t *testing.T, issuerID string, edit listEdit) map[string]any {
	t.Helper()
	from := time.Now().Add(-time.Hour)
	cred, err := status.Credential(revocationURL, issuerID, status.PurposeRevocation, newList(t), from)
	if err != nil {
		t.Fatal(err)
	}
	if edit.validFrom != "" {
		cred["validFrom"] = edit.validFrom
	}
	if edit.validUntil != "" {
		cred["validUntil"] = edit.validUntil
	}
	if edit.typ != "" {
		cred["type"] = edit.typ
	}
	if edit.encoded != "" {
		cred["credentialSubject"].(map[string]any)["encodedList"] = edit.encoded
	}
	return cred
}
