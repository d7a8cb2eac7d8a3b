package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/fetch"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/status"
)

// awardBadge defines an achievement with a PNG image and awards it to the
// office's earner; it returns the credential and its public path.
func awardBadge(t *testing.T, o *officeServer) (*issuer.Credential, string) {
	t.Helper()
	ctx, admin := context.Background(), o.person(t, issuer.RoleAdmin)
	a, err := o.office.CreateAchievement(ctx, admin, issuer.AchievementInput{
		Name: "Formative Assessment in Practice", Description: "Uses formative assessment every week.",
		Criteria:         issuer.Criteria{Narrative: "Two lesson plans and a reflection."},
		CreditsAvailable: 7.5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.office.SetAchievementImage(ctx, admin, a.ID, "image/png", testPNG(t)); err != nil {
		t.Fatal(err)
	}
	return awardTo(t, o, a.ID)
}

// awardTo awards an achievement to the office's earner.
func awardTo(t *testing.T, o *officeServer, achievementID string) (*issuer.Credential, string) {
	t.Helper()
	earner := o.person(t, issuer.RoleEarner)
	c, _, err := o.office.Award(context.Background(), o.person(t, issuer.RoleAdmin), achievementID,
		issuer.Recipient{UserID: earner.ID})
	if err != nil {
		t.Fatal(err)
	}
	return c, "/credentials/" + strings.TrimPrefix(c.ID, "urn:uuid:")
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(3, 3, color.RGBA{R: 31, G: 95, B: 63, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fetchRaw sends a GET with an Accept header ("" for none).
func fetchRaw(t *testing.T, o *officeServer, path, accept string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, o.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return o.do(t, req)
}

var (
	ldScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	verdictP = regexp.MustCompile(`class="verdict (\w+)">([^<]+)<`)
	problemP = regexp.MustCompile(`(?s)role="alert" id="verify-problem">(.*?)</div>`)
)

// A browser at a credential's URL gets the badge's page, with link
// previews and the signed credential embedded; no sign-in is needed.
func TestBadgePage(t *testing.T) {
	o := startOffice(t)
	c, path := awardBadge(t, o)

	a := fetchRaw(t, o, path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	page := string(a.raw)
	if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, %s\n%s", a.status, a.header.Get("Content-Type"), page)
	}
	if a.header.Get("Vary") != "Accept" {
		t.Errorf("Vary: %q", a.header.Get("Vary"))
	}

	publicURL := o.office.CredentialURL(c.ID)
	image := o.office.PublicURL() + "/achievements/" + c.AchievementID + "/image"
	for _, want := range []string{
		"<h1>Formative Assessment in Practice</h1>", "Uses formative assessment every week.",
		"Two lesson plans and a reflection.", "Maple Valley School District", "earner person",
		"<dd>7.5</dd>", `<span class="pill good">Valid</span>`, "Does not expire",
		`<img class="badge-hero" src="/achievements/`,
		`alt="Badge image for Formative Assessment in Practice"`,
		`href="/verify?url=` + url.QueryEscape(publicURL) + `"`,
		`<meta property="og:title" content="Formative Assessment in Practice">`,
		`<meta property="og:type" content="website">`,
		`<meta property="og:url" content="` + publicURL + `">`,
		`<meta property="og:image" content="` + image + `">`,
		`<meta property="og:description" content="earner person earned Formative Assessment in Practice`,
		`<meta name="twitter:card" content="summary">`,
		`<meta name="twitter:image" content="` + image + `">`,
		`href="` + path + `/credential.json"`, `href="` + path + `/badge.png"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, "earner@district.example") || strings.Contains(page, "/credential.jwt") {
		t.Error("page shows the earner's email or a VC-JWT that does not exist")
	}
	checkEmbedded(t, page, c.Document)
}

// checkEmbedded requires the page's JSON-LD script to be the stored
// signed document.
func checkEmbedded(t *testing.T, page string, stored []byte) {
	t.Helper()
	m := ldScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no JSON-LD script")
	}
	var embedded, want any
	if err := json.Unmarshal([]byte(m[1]), &embedded); err != nil {
		t.Fatalf("JSON-LD script does not parse: %v", err)
	}
	if err := json.Unmarshal(stored, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(embedded, want) {
		t.Fatalf("embedded document differs from the stored one:\n%s", m[1])
	}
}

// Programs keep getting the signed credential at the same URL, byte for
// byte as before.
func TestCredentialJSONStillServed(t *testing.T) {
	o := startOffice(t)
	c, path := awardBadge(t, o)

	for _, accept := range []string{"", "application/json", "application/ld+json, text/html", "*/*"} {
		a := fetchRaw(t, o, path, accept)
		if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/vc+ld+json" {
			t.Fatalf("Accept %q: %d %s", accept, a.status, a.header.Get("Content-Type"))
		}
		if !bytes.Equal(a.raw, c.Document) || a.header.Get("Vary") != "Accept" {
			t.Errorf("Accept %q: body or Vary changed (%q)", accept, a.header.Get("Vary"))
		}
	}
	missing := "/credentials/00000000-0000-4000-8000-000000000000"
	if a := fetchRaw(t, o, missing, "text/html"); a.status != http.StatusNotFound {
		t.Errorf("missing credential page: %d", a.status)
	}
}

// The credential downloads as files named for the achievement; the
// VC-JWT only when the issuer made one.
func TestCredentialDownloads(t *testing.T) {
	o := startOffice(t)
	c, path := awardBadge(t, o)

	a := want(t, fetchRaw(t, o, path+"/credential.json", "text/html"), http.StatusOK)
	if a.header.Get("Content-Type") != "application/vc+ld+json" || !bytes.Equal(a.raw, c.Document) {
		t.Fatalf("JSON download: %s", a.header.Get("Content-Type"))
	}
	disposition := `attachment; filename="formative-assessment-in-practice.json"`
	if got := a.header.Get("Content-Disposition"); got != disposition {
		t.Errorf("Content-Disposition: %s", got)
	}
	want(t, fetchRaw(t, o, path+"/credential.jwt", "text/html"), http.StatusNotFound)

	admin := o.person(t, issuer.RoleAdmin)
	if _, err := o.office.EnableJWT(context.Background(), admin, issuer.DefaultIssuerID); err != nil {
		t.Fatal(err)
	}
	other, err := o.office.CreateAchievement(context.Background(), admin, issuer.AchievementInput{
		Name: "Écoute & Dialogue", Description: "Listens.",
		Criteria: issuer.Criteria{Narrative: "A log."}})
	if err != nil {
		t.Fatal(err)
	}
	c, path = awardTo(t, o, other.ID)
	a = want(t, fetchRaw(t, o, path+"/credential.jwt", ""), http.StatusOK)
	if a.header.Get("Content-Type") != "application/vc+jwt" || string(a.raw) != c.JWT || c.JWT == "" {
		t.Fatalf("JWT download: %s", a.header.Get("Content-Type"))
	}
	if got := a.header.Get("Content-Disposition"); got != `attachment; filename="ecoute-dialogue.jwt"` {
		t.Errorf("Content-Disposition: %s", got)
	}
	if page := newBrowser(t, o.url).mustGet(path); !strings.Contains(page, path+"/credential.jwt") {
		t.Error("the page does not offer the VC-JWT")
	}
}

// A revoked badge's page says so, and when, but not why.
func TestRevokedBadgePage(t *testing.T) {
	o := startOffice(t)
	c, path := awardBadge(t, o)
	if _, err := o.office.Revoke(context.Background(), o.person(t, issuer.RoleAdmin), c.ID,
		"evidence copied from a colleague"); err != nil {
		t.Fatal(err)
	}

	page := newBrowser(t, o.url).mustGet(path)
	for _, want := range []string{`<span class="pill bad">Revoked</span>`,
		"This badge was revoked by its issuer on",
		"This badge is revoked."} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "colleague") || strings.Contains(page, `pill good`) {
		t.Error("page shows the private reason or a valid status")
	}
}

// A suspended badge's page says so; an expired one says when it ended.
func TestSuspendedAndExpiredBadgePages(t *testing.T) {
	o := startOfficeWith(t, func(c *issuer.Config) {
		c.StatusPurposes = []string{status.PurposeRevocation, status.PurposeSuspension}
	})
	c, path := awardBadge(t, o)
	admin := o.person(t, issuer.RoleAdmin)
	if _, err := o.office.Suspend(context.Background(), admin, c.ID, "under review"); err != nil {
		t.Fatal(err)
	}
	page := newBrowser(t, o.url).mustGet(path)
	if !strings.Contains(page, `<span class="pill warn">Suspended</span>`) || strings.Contains(page, "under review") {
		t.Error("suspended page is wrong")
	}

	view, err := o.server.viewBadge(c)
	if err != nil {
		t.Fatal(err)
	}
	past := c.IssuedAt.AddDate(0, 0, -1)
	sum := &issuer.CredentialSummary{Standing: issuer.StandingActive, ValidUntil: &past}
	if status, _ := liveStatus(c, sum, c.IssuedAt); status != "expired" || view.Status != "suspended" {
		t.Errorf("status %s, view %s", status, view.Status)
	}
}

// verdictOf returns the class and words of a report page's verdict.
func verdictOf(t *testing.T, page string) (string, string) {
	t.Helper()
	m := verdictP.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no verdict on the page:\n%s", page)
	}
	return m[1], m[2]
}

// The verifier page checks a pasted credential, a baked image, a peer's
// credential and this office's own URL (read from the store, with no
// network), without signing in.
func TestVerifierPage(t *testing.T) {
	o := startOffice(t)
	c, path := awardBadge(t, o)
	b := newBrowser(t, o.url)

	form := b.mustGet("/verify")
	for _, want := range []string{`<h1>Verify a badge</h1>`,
		`<label for="credential">`, `<label for="file">`,
		`<label for="url">`, `enctype="multipart/form-data"`} {
		if !strings.Contains(form, want) {
			t.Errorf("form lacks %s", want)
		}
	}

	status, page := b.post("/verify", url.Values{"credential": {string(c.Document)}})
	if class, words := verdictOf(t, page); status != http.StatusOK || class != "good" || words != "Valid" {
		t.Fatalf("pasted credential: %d %s %s", status, class, words)
	}
	for _, want := range []string{"Maple Valley School District", "Formative Assessment in Practice",
		"<dd>earner person</dd>", `<strong>Signature</strong> <span class="pill good">Passed</span>`,
		`href="` + path + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %s", want)
		}
	}

	forged := bytes.Replace(c.Document, []byte("Two lesson plans"), []byte("One lesson plan"), 1)
	status, page = b.post("/verify", url.Values{"credential": {string(forged)}})
	if class, _ := verdictOf(t, page); status != http.StatusOK || class != "bad" ||
		strings.Contains(page, "earner person") || strings.Contains(page, `href="`+path+`"`) {
		t.Fatalf("forged copy: %d %s, or it names the earner", status, class)
	}

	baked := want(t, o.get(t, path+"/badge.png"), http.StatusOK).raw
	b.mustGet("/verify")
	status, page = b.postFiles("/verify", nil, upload{"file", "badge.png", baked})
	class, _ := verdictOf(t, page)
	if status != http.StatusOK || class != "good" || !strings.Contains(page, "PNG image") {
		t.Fatalf("baked PNG: %d %s", status, class)
	}

	peerCred, err := os.ReadFile(filepath.Join(peer, "cred-001.json"))
	if err != nil {
		t.Fatal(err)
	}
	status, page = b.post("/verify", url.Values{"credential": {string(peerCred)}})
	if class, _ := verdictOf(t, page); status != http.StatusOK || class != "good" ||
		!strings.Contains(page, "Example Technical University") {
		t.Fatalf("peer credential: %d %s", status, class)
	}
}

// A URL check of this office's credential needs no network, and its
// result link checks again: after revocation the status check fails.
func TestVerifierURLCheck(t *testing.T) {
	o := startOffice(t)
	c, _ := awardBadge(t, o)
	b := newBrowser(t, o.url)
	link := "/verify?url=" + url.QueryEscape(o.office.CredentialURL(c.ID))

	page := b.mustGet(link)
	if class, words := verdictOf(t, page); class != "good" || words != "Valid" {
		t.Fatalf("URL check: %s %s", class, words)
	}
	result := `value="` + html.EscapeString(o.office.PublicURL()+link) + `"`
	if !strings.Contains(page, result) || !strings.Contains(page, `data-copy="result-link"`) {
		t.Errorf("no result link with a copy button (want %s)", result)
	}

	admin := o.person(t, issuer.RoleAdmin)
	if _, err := o.office.Revoke(context.Background(), admin, c.ID, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	page = b.mustGet(link)
	if class, words := verdictOf(t, page); class != "bad" || words != "Not valid" {
		t.Fatalf("revoked: %s %s", class, words)
	}
	failed := regexp.MustCompile(`<li class="failed">\s*<p class="check-head"><strong>Revocation</strong>`)
	if !failed.MatchString(page) {
		t.Error("the status check did not fail")
	}

	status, _ := b.post("/verify", url.Values{"url": {o.office.CredentialURL(c.ID)}})
	if status != http.StatusOK {
		t.Errorf("posted URL: %d", status)
	}
}

// Behind Laurel's safe fetcher, which refuses plain http and loopback
// addresses, a URL check of this office's own credential still works; an
// address the fetcher refuses gets a clear 422.
func TestVerifierSafeFetch(t *testing.T) {
	o := startOffice(t)
	c, _ := awardBadge(t, o)
	f, err := fetch.New(fetch.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Verifier: o.server.verifier, Office: o.office,
		Fetch: func(ctx context.Context, u string) ([]byte, error) { return f.Get(ctx, u) }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	b := newBrowser(t, hs.URL)

	page := b.mustGet("/verify?url=" + url.QueryEscape(o.office.CredentialURL(c.ID)))
	if class, _ := verdictOf(t, page); class != "good" {
		t.Fatalf("own credential: %s", class)
	}
	loopback := o.url + "/credentials/" + strings.TrimPrefix(c.ID, "urn:uuid:")
	status, page := b.get("/verify?url=" + url.QueryEscape(loopback))
	if alert := problemP.FindStringSubmatch(page); status != 422 || alert == nil ||
		!strings.Contains(alert[1], "could not fetch a credential") {
		t.Fatalf("loopback address: %d\n%s", status, page)
	}
}

// The API's url field reads this office's credentials from the store
// too, through the same path as the page.
func TestVerifyAPIOwnURL(t *testing.T) {
	o := startOffice(t)
	c, _ := awardBadge(t, o)

	a := o.post(t, "/api/v1/verify", map[string]any{"url": o.office.CredentialURL(c.ID)}, false)
	if a.status != http.StatusOK || a.body["valid"] != true {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	missing := o.office.PublicURL() + "/credentials/00000000-0000-4000-8000-000000000000"
	if a := o.post(t, "/api/v1/verify", map[string]any{"url": missing}, false); a.status != 422 {
		t.Fatalf("missing own credential: %d %s", a.status, a.raw)
	}
}

// Input that holds no credential gets the form back with a plain message
// and a 4xx, never a 500.
func TestVerifierPageBadInput(t *testing.T) {
	o := startOffice(t)
	b := newBrowser(t, o.url)
	b.mustGet("/verify")

	cases := []struct {
		name   string
		post   func() (int, string)
		status int
		say    string
	}{
		{"empty", func() (int, string) { return b.post("/verify", nil) }, 400, "Paste a credential, choose"},
		{"garbage", func() (int, string) { return b.post("/verify", url.Values{"credential": {"hello"}}) },
			400, "Laurel found no credential in this"},
		{"bad JSON", func() (int, string) { return b.post("/verify", url.Values{"credential": {"{nope"}}) },
			400, "Laurel found no credential in this"},
		{"two at once", func() (int, string) {
			return b.post("/verify", url.Values{"credential": {"{}"}, "url": {"https://x.example/c"}})
		}, 400, "Check one thing at a time"},
		{"broken image", func() (int, string) {
			return b.postFiles("/verify", nil, upload{"file", "badge.png", []byte("\x89PNG\r\n\x1a\nbroken")})
		}, 400, "Laurel found no credential in this"},
		{"empty file", func() (int, string) { return b.postFiles("/verify", nil, upload{"file", "a.json", nil}) },
			400, "The chosen file is empty."},
		{"refused URL", func() (int, string) { return b.get("/verify?url=http://127.0.0.1:1/c") },
			422, "does not fetch badges"},
		{"no URL", func() (int, string) { return b.get("/verify?url=") }, 400, "Enter the address"},
		{"missing own", func() (int, string) {
			return b.get("/verify?url=" + url.QueryEscape(o.office.PublicURL()+
				"/credentials/00000000-0000-4000-8000-000000000000"))
		}, 422, "could not fetch a credential"},
	}
	for _, tc := range cases {
		status, page := tc.post()
		alert := problemP.FindStringSubmatch(page)
		if status != tc.status || alert == nil || !strings.Contains(alert[1], tc.say) {
			t.Errorf("%s: status %d, want %d with %q\n%s", tc.name, status, tc.status, tc.say, page)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Formative Assessment in Practice": "formative-assessment-in-practice",
		"  --Hello, World!--  ":            "hello-world",
		"Évaluation formative":             "evaluation-formative",
		"日本語":                              "",
		strings.Repeat("ab ", 40):          strings.TrimSuffix(strings.Repeat("ab-", 20), "-"),
	} {
		if got := slug(in, 60); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
