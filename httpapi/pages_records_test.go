package httpapi

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/status"
)

// signInAt signs the office's person with role in through an invitation
// and the sign-in form, asking to land on next, and returns the browser
// and the status of the page it landed on. The administrator's home
// (/admin/achievements) is another engineer's page, so these tests land
// on their own pages instead of using o.signIn.
func (o *officeServer) signInAt(t *testing.T, role issuer.Role, next string) (*browser, int) {
	t.Helper()
	ctx := context.Background()
	u := o.person(t, role)
	inv, err := o.office.Reinvite(ctx, o.person(t, issuer.RoleAdmin), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.office.AcceptInvitation(ctx, inv.Token, testPassword); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, o.url)
	b.mustGet("/signin")
	status, _ := b.post("/signin", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
	return b, status
}

// signInAdmin returns a browser with the administrator signed in, on the
// people page.
func (o *officeServer) signInAdmin(t *testing.T) *browser {
	t.Helper()
	b, status := o.signInAt(t, issuer.RoleAdmin, "/admin/people")
	if status != http.StatusOK {
		t.Fatalf("signing the administrator in: status %d", status)
	}
	return b
}

// wantPage checks a page's status and that it shows every one of texts.
func wantPage(t *testing.T, status int, body string, wantStatus int, texts ...string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d\n%s", status, wantStatus, body)
	}
	wantTexts(t, body, texts...)
}

// wantSecretPage checks a page that shows invitation links, and never
// prints it: the links are secrets.
func wantSecretPage(t *testing.T, status int, body string, wantStatus int, texts ...string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d", status, wantStatus)
	}
	wantTexts(t, body, texts...)
}

func wantTexts(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if !strings.Contains(body, text) {
			t.Errorf("the page does not show %q", text)
		}
	}
}

var inviteLink = regexp.MustCompile(`value="https://badges\.district\.example(/invite/(lri_[^"]+))"`)

// invitationsIn returns the invitation paths and tokens a result page
// shows, in order.
func invitationsIn(body string) (paths, tokens []string) {
	for _, m := range inviteLink.FindAllStringSubmatch(body, -1) {
		paths, tokens = append(paths, m[1]), append(tokens, m[2])
	}
	return paths, tokens
}

// checkInvitation checks that an invitation link works for name: the
// office knows it, and a new browser opening it gets the password form.
func checkInvitation(t *testing.T, o *officeServer, path, token, name string) {
	t.Helper()
	u, err := o.office.InvitedUser(token)
	if err != nil || u.Name != name {
		t.Fatalf("the link shown for %s names %+v: %v", name, u, err)
	}
	status, body := newBrowser(t, o.url).get(path)
	if status != http.StatusOK || !strings.Contains(body, "Welcome, "+name) {
		t.Fatalf("opening the link shown for %s: status %d", name, status)
	}
}

func accountOf(t *testing.T, o *officeServer, email string) *issuer.Account {
	t.Helper()
	list, err := o.office.Accounts(o.person(t, issuer.RoleAdmin))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Email == email {
			return &a
		}
	}
	return nil
}

func TestPeoplePageInvites(t *testing.T) {
	o := startOffice(t)
	b := o.signInAdmin(t)
	wantPage(t, http.StatusOK, b.last, http.StatusOK, "<h1>People</h1>", "earner@district.example",
		"reviewer person", "Invite a person", "Laurel sends no email", "Invited", "Active", "name,email,role")

	status, body := b.post("/admin/people", url.Values{"name": {"Nia Newcomer"}, "email": {"nia@district.example"},
		"role": {"reviewer"}})
	wantSecretPage(t, status, body, http.StatusOK, "Laurel sends no email", `data-copy="link-0"`)
	paths, tokens := invitationsIn(body)
	if len(paths) != 1 {
		t.Fatalf("the result page shows %d links", len(paths))
	}
	checkInvitation(t, o, paths[0], tokens[0], "Nia Newcomer")
	if a := accountOf(t, o, "nia@district.example"); a == nil || a.Role != issuer.RoleReviewer || a.Active {
		t.Fatalf("the invited account: %+v", a)
	}

	list := b.mustGet("/admin/people")
	if !strings.Contains(list, "Nia Newcomer") || strings.Contains(list, tokens[0]) {
		t.Fatal("the people page misses the new person, or shows their secret link")
	}

	person := func(name, email, role string) url.Values {
		return url.Values{"name": {name}, "email": {email}, "role": {role}}
	}
	status, body = b.post("/admin/people", person("Bad Mail", "not-an-email", "earner"))
	wantPage(t, status, body, http.StatusBadRequest, "is not an email address", `value="Bad Mail"`)
	status, body = b.post("/admin/people", person("Ada", "admin@district.example", "earner"))
	wantPage(t, status, body, http.StatusConflict, "already has an account")
	status, body = b.post("/admin/people", person("Ann", "ann@district.example", "boss"))
	wantPage(t, status, body, http.StatusBadRequest)
}

func TestPeopleImport(t *testing.T) {
	o := startOffice(t)
	b := o.signInAdmin(t)

	roster := "name,email,role\nAna Lopez,ana@district.example,\n" +
		"\"Okafor, Ben\",ben@district.example,reviewer\nThe Admin,admin@district.example,admin\n"
	status, body := b.postFiles("/admin/people/import", nil, upload{"roster", "staff.csv", []byte(roster)})
	wantSecretPage(t, status, body, http.StatusOK, "Roster imported", "Skipped (1)", "admin@district.example")
	paths, tokens := invitationsIn(body)
	if len(paths) != 2 {
		t.Fatalf("the import shows %d links, want 2", len(paths))
	}
	checkInvitation(t, o, paths[0], tokens[0], "Ana Lopez")
	checkInvitation(t, o, paths[1], tokens[1], "Okafor, Ben")

	bad := "name,email\nCara Good,cara@district.example\nDan Bad,dan-at-district\n"
	b.mustGet("/admin/people")
	status, body = b.postFiles("/admin/people/import", nil, upload{"roster", "staff.csv", []byte(bad)})
	wantPage(t, status, body, http.StatusBadRequest, "Nobody was invited", "line 3", "dan-at-district")
	if accountOf(t, o, "cara@district.example") != nil {
		t.Fatal("a roster with a bad line invited someone")
	}

	status, body = b.postFiles("/admin/people/import", url.Values{"note": {"no file"}})
	wantPage(t, status, body, http.StatusBadRequest, "Choose a CSV file")
	status, body = b.postFiles("/admin/people/import", nil, upload{"roster", "empty.csv", nil})
	wantPage(t, status, body, http.StatusBadRequest, "is empty")
}

func TestPeopleRolesAndLinks(t *testing.T) {
	o := startOffice(t)
	b := o.signInAdmin(t)
	admin, earner := o.person(t, issuer.RoleAdmin), o.person(t, issuer.RoleEarner)

	status, body := b.post("/admin/people/"+earner.ID+"/role", url.Values{"role": {"reviewer"}})
	wantPage(t, status, body, http.StatusOK, "earner person is now a reviewer.")
	if u, _ := o.office.User(earner.ID); u.Role != issuer.RoleReviewer {
		t.Fatalf("role after the change: %s", u.Role)
	}

	status, body = b.post("/admin/people/"+admin.ID+"/role", url.Values{"role": {"earner"}})
	wantPage(t, status, body, http.StatusConflict, "Administrators cannot change their own role.")
	if u, _ := o.office.User(admin.ID); u.Role != issuer.RoleAdmin {
		t.Fatalf("the administrator demoted themselves: %s", u.Role)
	}
	if !strings.Contains(b.mustGet("/admin/people"), "You cannot change your own role.") {
		t.Fatal("the page offers administrators to change their own role")
	}

	status, body = b.post("/admin/people/"+earner.ID+"/role", url.Values{"role": {"client"}})
	wantPage(t, status, body, http.StatusBadRequest)
	status, body = b.post("/admin/people/usr_nobody/role", url.Values{"role": {"earner"}})
	wantPage(t, status, body, http.StatusNotFound)

	status, body = b.post("/admin/people/"+earner.ID+"/invite", nil)
	wantSecretPage(t, status, body, http.StatusOK, "New link ready", "Laurel sends no email")
	paths, tokens := invitationsIn(body)
	if len(paths) != 1 {
		t.Fatalf("the new link page shows %d links", len(paths))
	}
	checkInvitation(t, o, paths[0], tokens[0], "earner person")
}

// officeClock is the office's clock: the real time, unless a test sets
// it to award credentials on chosen days.
type officeClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *officeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}

func (c *officeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = t
}

// recordsOffice is an office for the record pages, with two achievements
// and a clock.
type recordsOffice struct {
	*officeServer
	clk         *officeClock
	long, short *issuer.Achievement
}

func startRecordsOffice(t *testing.T, purposes ...string) *recordsOffice {
	t.Helper()
	clk := &officeClock{}
	o := startOfficeWith(t, func(c *issuer.Config) {
		c.Now, c.StatusPurposes = clk.now, purposes
	})
	ro := &recordsOffice{officeServer: o, clk: clk}
	ro.long = ro.achievement(t, "Coaching Cycles", 10)
	ro.short = ro.achievement(t, "Reading Workshop", 2.5)
	return ro
}

func (o *recordsOffice) achievement(t *testing.T, name string, hours float64) *issuer.Achievement {
	t.Helper()
	a, err := o.office.CreateAchievement(context.Background(), o.person(t, issuer.RoleAdmin), issuer.AchievementInput{
		Name: name, Description: name + " for teachers.", Criteria: issuer.Criteria{Narrative: "A reflection."},
		CreditsAvailable: hours})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// award issues a to someone on a day; a zero day means now.
func (o *recordsOffice) award(t *testing.T, a *issuer.Achievement, to issuer.Recipient,
	on time.Time) *issuer.Credential {
	t.Helper()
	o.clk.set(on)
	defer o.clk.set(time.Time{})
	c, _, err := o.office.Award(context.Background(), o.person(t, issuer.RoleAdmin), a.ID, to)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func uuidOf(c *issuer.Credential) string { return strings.TrimPrefix(c.ID, "urn:uuid:") }

func standingOf(t *testing.T, o *recordsOffice, c *issuer.Credential) issuer.Standing {
	t.Helper()
	got, err := o.office.Credential(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Standing
}

func TestCredentialsSearch(t *testing.T) {
	o := startRecordsOffice(t)
	earner := o.person(t, issuer.RoleEarner)
	o.award(t, o.long, issuer.Recipient{UserID: earner.ID}, time.Time{})
	zoe := o.award(t, o.short, issuer.Recipient{Name: "Zoe Zimmer", Email: "zoe@district.example"}, time.Time{})
	b := o.signInAdmin(t)

	body := b.mustGet("/admin/credentials")
	wantPage(t, http.StatusOK, body, http.StatusOK, "2 credentials", "earner person: Coaching Cycles",
		"Zoe Zimmer: Reading Workshop", "Revoking is final", `href="/credentials/`+uuidOf(zoe)+`"`)
	if strings.Contains(body, "/suspend") {
		t.Fatal("the page offers suspension, which this office's credentials cannot take")
	}

	body = b.mustGet("/admin/credentials?q=ZIMMER&status=active&achievement=" + o.short.ID)
	wantPage(t, http.StatusOK, body, http.StatusOK, "1 credential<", "Zoe Zimmer")
	if strings.Contains(body, "earner person:") {
		t.Fatal("the search shows a credential it does not match")
	}
	today := time.Now().UTC().Format(dateLayout)
	body = b.mustGet("/admin/credentials?from=2020-01-01&to=2020-12-31")
	wantPage(t, http.StatusOK, body, http.StatusOK, "0 credentials", "No issued credential matches")
	body = b.mustGet("/admin/credentials?from=" + today + "&to=" + today)
	wantPage(t, http.StatusOK, body, http.StatusOK, "2 credentials")

	for _, q := range []string{"status=lost", "from=yesterday", "from=2026-02-01&to=2026-01-01"} {
		status, body := b.get("/admin/credentials?" + q)
		wantPage(t, status, body, http.StatusBadRequest, `class="error"`)
	}
}

func TestCredentialsChangeStanding(t *testing.T) {
	o := startRecordsOffice(t, status.PurposeRevocation, status.PurposeSuspension)
	zoe := o.award(t, o.short, issuer.Recipient{Name: "Zoe Zimmer", Email: "zoe@district.example"}, time.Time{})
	o.award(t, o.long, issuer.Recipient{UserID: o.person(t, issuer.RoleEarner).ID}, time.Time{})
	b := o.signInAdmin(t)
	path := "/admin/credentials/" + uuidOf(zoe) + "/"
	b.mustGet("/admin/credentials?q=zoe")

	status, body := b.post(path+"suspend", url.Values{"reason": {"checking the evidence"}, "back": {"q=zoe"}})
	wantPage(t, status, body, http.StatusOK, "The credential is suspended", "1 credential<", "Suspended", "/reinstate")
	if got := standingOf(t, o, zoe); got != issuer.StandingSuspended {
		t.Fatalf("after suspending: %s", got)
	}

	status, body = b.post(path+"reinstate", url.Values{"reason": {"evidence is fine"}, "back": {"q=zoe"}})
	wantPage(t, status, body, http.StatusOK, "The credential is reinstated", "Valid")
	if got := standingOf(t, o, zoe); got != issuer.StandingActive {
		t.Fatalf("after reinstating: %s", got)
	}

	status, body = b.post(path+"revoke", url.Values{"reason": {"  "}})
	wantPage(t, status, body, http.StatusBadRequest, "A revocation needs a reason")
	status, body = b.post(path+"revoke", url.Values{"reason": {strings.Repeat("x", 1001)}})
	wantPage(t, status, body, http.StatusBadRequest, "at most 1000")
	status, body = b.post(path+"revoke", url.Values{"reason": {"evidence was copied"}, "back": {"q=zoe&evil=x"}})
	wantPage(t, status, body, http.StatusOK, "The credential is revoked, for good.", "Revoked for good")
	if got := standingOf(t, o, zoe); got != issuer.StandingRevoked {
		t.Fatalf("after revoking: %s", got)
	}

	status, body = b.post(path+"reinstate", url.Values{"reason": {"oops"}})
	wantPage(t, status, body, http.StatusConflict, "a revocation is permanent")
	status, body = b.post("/admin/credentials/00000000-0000-4000-8000-000000000000/revoke", url.Values{"reason": {"x"}})
	wantPage(t, status, body, http.StatusNotFound)

	audit := b.mustGet("/admin/audit")
	wantPage(t, http.StatusOK, audit, http.StatusOK, "credential.revoke", "evidence was copied", "admin person",
		uuidOf(zoe))
}

func TestAuditPage(t *testing.T) {
	o := startOffice(t)
	ctx := context.Background()
	admin, earner := o.person(t, issuer.RoleAdmin), o.person(t, issuer.RoleEarner)
	for range 120 {
		if _, err := o.office.SetRole(ctx, admin, earner.ID, issuer.RoleEarner); err != nil {
			t.Fatal(err)
		}
	}
	o.signInAt(t, issuer.RoleEarner, "/admin/people")
	b := o.signInAdmin(t)

	first := b.mustGet("/admin/audit")
	wantPage(t, http.StatusOK, first, http.StatusOK, "<h1>Audit record</h1>", "100 on this page", "Older records",
		`class="records-denied"`, "Refused", "denied.page", "/admin/people", "user.signin")
	if strings.Contains(first, "Newer records") {
		t.Fatal("the newest page links to newer records")
	}
	if rows := strings.Count(first, "<tr") - 1; rows != 100 {
		t.Fatalf("the page shows %d records", rows)
	}

	older := regexp.MustCompile(`href="(/admin/audit\?before=\d+)">Older`).FindStringSubmatch(first)
	second := b.mustGet(older[1])
	wantPage(t, http.StatusOK, second, http.StatusOK, "Newer records", "user.role", "system")

	status, body := b.get("/admin/audit?before=last")
	wantPage(t, status, body, http.StatusBadRequest)
}

// reportCSV fetches the report export and returns its response and rows.
func reportCSV(t *testing.T, b *browser, query string) (*http.Response, [][]string) {
	t.Helper()
	resp, err := b.client.Get(b.base + "/admin/report.csv?" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	text, ok := strings.CutPrefix(string(raw), "\ufeff")
	if !ok {
		t.Fatalf("the export starts without a byte order mark: %.40q", raw)
	}
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return resp, rows
}

// reportOffice has credentials around the 2025–26 school year: the earner
// earned 12.5 hours in it, a teacher with a hostile name 10; Zoe's one
// credential in it is revoked, her other one is from the year before.
func reportOffice(t *testing.T) (*recordsOffice, string) {
	t.Helper()
	o := startRecordsOffice(t)
	earner := issuer.Recipient{UserID: o.person(t, issuer.RoleEarner).ID}
	zoe := issuer.Recipient{Name: "Zoe Zimmer", Email: "zoe@district.example"}
	evil := `=HYPERLINK("https://evil.example","Eve")`
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }

	o.award(t, o.long, earner, day(2025, 9, 1))
	o.award(t, o.short, earner, day(2026, 6, 30))
	o.award(t, o.long, issuer.Recipient{Name: evil, Email: "eve@district.example"}, day(2025, 10, 1))
	o.award(t, o.short, zoe, day(2025, 6, 30))
	revoked := o.award(t, o.long, zoe, day(2025, 11, 1))
	admin := o.person(t, issuer.RoleAdmin)
	if _, err := o.office.Revoke(context.Background(), admin, revoked.ID, "copied"); err != nil {
		t.Fatal(err)
	}
	return o, evil
}

func TestReportPage(t *testing.T) {
	o, evil := reportOffice(t)
	b := o.signInAdmin(t)

	body := b.mustGet("/admin/report?from=2025-07-01&to=2026-06-30")
	wantPage(t, http.StatusOK, body, http.StatusOK, "the 2025–26 school year",
		"Revoked and suspended credentials do not count", "earner person", "12.5", "eve@district.example",
		"Coaching Cycles", "30 June 2026", "22.5", "2 teachers",
		`href="/admin/report.csv?from=2025-07-01&amp;to=2026-06-30"`)
	if strings.Contains(body, "Zoe") || strings.Contains(body, evil) {
		t.Fatal("the report counts a revoked credential, or shows a name unescaped")
	}

	body = b.mustGet("/admin/report?from=2025-06-30&to=2025-06-30")
	wantPage(t, http.StatusOK, body, http.StatusOK, "Zoe Zimmer", "1 teacher<")

	from, to := issuer.SchoolYearSpan(time.Now().UTC())
	o.award(t, o.short, issuer.Recipient{Name: "Nora Now", Email: "nora@district.example"}, time.Time{})
	body = b.mustGet("/admin/report")
	wantPage(t, http.StatusOK, body, http.StatusOK, "Nora Now", `value="`+from.Format(dateLayout)+`"`,
		`value="`+to.AddDate(0, 0, -1).Format(dateLayout)+`"`, "the "+issuer.SchoolYear(from)+" school year")

	for _, q := range []string{"from=someday", "to=2026-13-01", "from=2026-07-01&to=2026-06-30"} {
		status, body := b.get("/admin/report?" + q)
		wantPage(t, status, body, http.StatusBadRequest, `class="error"`)
	}
}

func TestReportCSV(t *testing.T) {
	o, evil := reportOffice(t)
	b := o.signInAdmin(t)

	resp, rows := reportCSV(t, b, "from=2025-07-01&to=2026-06-30")
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	name := `attachment; filename="laurel-credit-report-2025-07-01-2026-06-30.csv"`
	if cd := resp.Header.Get("Content-Disposition"); cd != name {
		t.Fatalf("Content-Disposition %q", cd)
	}
	if len(rows) != 4 || strings.Join(rows[0], "|") !=
		"Teacher|Email|Achievement|Issued|Credit hours|Credential ID|Credential URL|Issuer" {
		t.Fatalf("export: %q", rows)
	}

	want := map[string]string{
		"'" + evil + "|eve@district.example|Coaching Cycles|2025-10-01|10":      "hostile name, quoted",
		"earner person|earner@district.example|Coaching Cycles|2025-09-01|10":   "first credential",
		"earner person|earner@district.example|Reading Workshop|2026-06-30|2.5": "last day included",
	}
	for _, row := range rows[1:] {
		key := strings.Join(row[:5], "|")
		if _, ok := want[key]; !ok {
			t.Errorf("unexpected row %q", row)
		}
		delete(want, key)
		id := strings.TrimPrefix(row[5], "urn:uuid:")
		if row[6] != "https://badges.district.example/credentials/"+id || row[7] != "Maple Valley School District" {
			t.Errorf("row %q links or names the issuer wrongly", row)
		}
	}
	if len(want) > 0 {
		t.Fatalf("rows missing: %v", want)
	}

	resp, _ = reportCSV(t, b, "")
	from, to := issuer.SchoolYearSpan(time.Now().UTC())
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, from.Format(dateLayout)+"-"+
		to.AddDate(0, 0, -1).Format(dateLayout)) {
		t.Fatalf("the default export is named %q", cd)
	}
	if status, body := b.get("/admin/report.csv?from=nope"); status != http.StatusBadRequest {
		t.Fatalf("a bad date: status %d\n%s", status, body)
	}
}

func TestCSVCells(t *testing.T) {
	got := csvCells("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "Ana", "", "a=b")
	want := []string{"'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "Ana", "", "a=b"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("csvCells = %q", got)
	}
}

// recordsPaths are every record page and form, as method and path.
var recordsPaths = [][2]string{
	{"GET", "/admin/people"}, {"POST", "/admin/people"}, {"POST", "/admin/people/import"},
	{"POST", "/admin/people/usr_x/role"}, {"POST", "/admin/people/usr_x/invite"},
	{"GET", "/admin/credentials"}, {"POST", "/admin/credentials/00000000-0000-4000-8000-000000000000/revoke"},
	{"GET", "/admin/audit"}, {"GET", "/admin/report"}, {"GET", "/admin/report.csv"},
}

func TestRecordsPagesAreForAdministrators(t *testing.T) {
	o := startOffice(t)
	for _, role := range []issuer.Role{issuer.RoleEarner, issuer.RoleReviewer} {
		b, status := o.signInAt(t, role, "/admin/people")
		if status != http.StatusForbidden {
			t.Fatalf("%s landing on /admin/people: status %d", role, status)
		}
		for _, p := range recordsPaths {
			var got int
			var body string
			if p[0] == "GET" {
				got, body = b.get(p[1])
			} else {
				got, body = b.post(p[1], url.Values{"role": {"admin"}, "name": {"X"}, "email": {"x@district.example"}})
			}
			if got != http.StatusForbidden || strings.Contains(body, "admin@district.example") {
				t.Errorf("%s %s as %s: status %d", p[0], p[1], role, got)
			}
		}
	}
	if u, _ := o.office.User(o.person(t, issuer.RoleEarner).ID); u.Role != issuer.RoleEarner {
		t.Fatal("an earner changed a role")
	}
}

func TestRecordsPagesSendVisitorsToSignIn(t *testing.T) {
	o := startOffice(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range recordsPaths {
		if p[0] != "GET" {
			continue
		}
		resp, err := client.Get(o.url + p[1])
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther ||
			loc != "/signin?next="+url.QueryEscape(p[1]) {
			t.Errorf("GET %s signed out: %d to %q", p[1], resp.StatusCode, loc)
		}
	}
}
