package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sample district's people (laurel serve --demo) and the achievement
// the teacher earns in TestEveryPage.
const (
	demoAdmin    = "avery@maplevalley.example"
	demoReviewer = "riley@maplevalley.example"
	demoTeacher  = "taylor@maplevalley.example"
	demoBadge    = "Formative Assessment in Practice"
)

// Issue #6 asks that every page render without console errors, pass the
// accessibility check and fit a 390 px phone. The story visits the pages
// on its way; this test visits every page at least once, in the states the
// story skips: lists with and without items, searches and filters, form
// errors, a decision that came too late (409), the error pages, and each
// of the verifier's results. The sample district gives it people and
// achievements, so one server and four tabs (three people and a visitor)
// do.
func TestEveryPage(t *testing.T) {
	l := startLaurel(t, "--demo")
	admin, teacher, reviewer, visitor := newTab(t), newTab(t), newTab(t), newTab(t)
	password := rand.Text()

	signInAs(t, admin, l.invitation(t, demoAdmin), password, "/admin/achievements", "Achievements")
	signInAs(t, teacher, l.invitation(t, demoTeacher), password, "/badges", "No badges yet")
	signInAs(t, reviewer, l.invitation(t, demoReviewer), password, "/review", "Nothing waiting")

	visitorPages(t, visitor, l)
	teacherBrowses(t, teacher, l)
	teacherSubmits(t, teacher)
	decideTooLate(t, reviewer, admin, l)
	publicLink := teacherBadgePages(t, teacher, l)
	// Before the administrator's pages: the audit record then shows the
	// teacher's refused attempt, a row of its own colours.
	errorPages(t, teacher, reviewer, l)

	adminAchievementPages(t, admin)
	adminPeoplePages(t, admin, l)
	adminRecordPages(t, admin, l)
	verifierPages(t, visitor, l, publicLink)
}

// signInAs accepts an invitation and checks the role's home page, which
// must show text.
func signInAs(t *testing.T, ctx context.Context, link, password, home, text string) {
	t.Helper()
	wantStatus(t, open(t, ctx, link), http.StatusOK, "invitation")
	wantStatus(t, setPassword(t, ctx, password), http.StatusOK, "home after the invitation")
	wantPath(t, ctx, home)
	waitText(t, ctx, text)
	checkPage(t, ctx, "home "+home)
}

// visitorPages checks what a visitor who is not signed in reads first.
func visitorPages(t *testing.T, ctx context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/"), http.StatusOK, "home")
	checkPage(t, ctx, "home")
	wantStatus(t, open(t, ctx, l.URL+"/signin"), http.StatusOK, "sign in")
	checkPage(t, ctx, "sign in")
}

// teacherBrowses visits the teacher's empty lists, then the catalogue
// searched, filtered by a tag and searched in vain.
func teacherBrowses(t *testing.T, ctx context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, click(t, ctx, named("My submissions")), http.StatusOK, "my submissions")
	waitText(t, ctx, "Nothing submitted yet")
	checkPage(t, ctx, "my submissions, none")

	wantStatus(t, click(t, ctx, named("Catalogue")), http.StatusOK, "catalogue")
	checkPage(t, ctx, "catalogue")
	fill(t, ctx, label("Search names, descriptions and tags"), "coaching")
	wantStatus(t, click(t, ctx, named("Show")), http.StatusOK, "catalogue search")
	waitText(t, ctx, "1 achievement found")
	checkPage(t, ctx, "catalogue searched")

	wantStatus(t, open(t, ctx, l.URL+"/catalogue"), http.StatusOK, "catalogue")
	fill(t, ctx, label("Tag"), "assessment")
	wantStatus(t, click(t, ctx, named("Show")), http.StatusOK, "catalogue by tag")
	waitText(t, ctx, demoBadge)
	checkPage(t, ctx, "catalogue by tag")

	wantStatus(t, open(t, ctx, l.URL+"/catalogue?q=astronomy"), http.StatusOK, "catalogue, no match")
	waitText(t, ctx, "No achievements match")
	checkPage(t, ctx, "catalogue, no match")
}

// teacherSubmits opens an achievement, posts its form empty (a 400 page
// that says what is missing), then submits a narrative.
func teacherSubmits(t *testing.T, ctx context.Context) {
	t.Helper()
	wantStatus(t, click(t, ctx, named("Clear filters")), http.StatusOK, "catalogue")
	wantStatus(t, click(t, ctx, named(demoBadge)), http.StatusOK, "achievement")
	checkPage(t, ctx, "achievement and submit form")
	wantStatus(t, click(t, ctx, named("Submit for review")), http.StatusBadRequest,
		"submitting nothing")
	waitText(t, ctx, "This achievement requires a written narrative.")
	checkPage(t, ctx, "submit form with an error")

	fill(t, ctx, label("What you did and what you learned"), "Exit tickets changed my next lesson.")
	wantStatus(t, click(t, ctx, named("Submit for review")), http.StatusOK, "submitting")
	waitText(t, ctx, "Waiting for review")
	checkPage(t, ctx, "submission waiting")
	wantStatus(t, click(t, ctx, named("My submissions")), http.StatusOK, "my submissions")
	checkPage(t, ctx, "my submissions")
}

// decideTooLate opens the submission for the reviewer; the administrator
// approves it meanwhile, so the reviewer's approval answers 409.
func decideTooLate(t *testing.T, reviewer, admin context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, open(t, reviewer, l.URL+"/review"), http.StatusOK, "review queue")
	checkPage(t, reviewer, "review queue with an item")
	wantStatus(t, click(t, reviewer, named(demoBadge)), http.StatusOK, "submission")
	checkPage(t, reviewer, "submission under review")

	wantStatus(t, open(t, admin, l.URL+"/review"), http.StatusOK, "review queue")
	wantStatus(t, click(t, admin, named(demoBadge)), http.StatusOK, "submission")
	check(t, admin, css("#level-0"), true)
	wantStatus(t, click(t, admin, named("Approve and issue the badge")), http.StatusOK, "approving")
	waitText(t, admin, "Nothing waiting for review")

	check(t, reviewer, css("#level-0"), true)
	wantStatus(t, click(t, reviewer, named("Approve and issue the badge")), http.StatusConflict,
		"approving again")
	waitText(t, reviewer, "Already decided")
	checkPage(t, reviewer, "decision too late")
}

// teacherBadgePages visits the approved submission, the teacher's badges
// and the badge's sharing page with its QR code; it returns the badge's
// public link.
func teacherBadgePages(t *testing.T, ctx context.Context, l *laurel) string {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/submissions"), http.StatusOK, "my submissions")
	wantStatus(t, click(t, ctx, named(demoBadge)), http.StatusOK, "approved submission")
	checkPage(t, ctx, "approved submission")

	wantStatus(t, click(t, ctx, named("My badges")), http.StatusOK, "my badges")
	waitText(t, ctx, "Credit hours per school year")
	checkPage(t, ctx, "my badges")
	wantStatus(t, click(t, ctx, named(demoBadge)), http.StatusOK, "badge")
	checkPage(t, ctx, "sharing a badge")

	qr := download(t, ctx, named("Download the QR code"))
	if qr.Status != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" ||
		!bytes.HasPrefix(qr.Body, []byte("\x89PNG")) {
		t.Errorf("QR code: status %d, type %q, %d bytes", qr.Status, qr.Header.Get("Content-Type"),
			len(qr.Body))
	}
	return readValue(t, ctx, "#public-link")
}

// adminAchievementPages opens a sample achievement in the editor, and a
// new one.
func adminAchievementPages(t *testing.T, ctx context.Context) {
	t.Helper()
	wantStatus(t, click(t, ctx, named("Achievements")), http.StatusOK, "achievements")
	wantStatus(t, click(t, ctx, named(demoBadge)), http.StatusOK, "achievement editor")
	waitText(t, ctx, "Edit "+demoBadge)
	checkPage(t, ctx, "achievement editor, existing")
	wantStatus(t, click(t, ctx, named("Achievements")), http.StatusOK, "achievements")
	wantStatus(t, click(t, ctx, named("New achievement")), http.StatusOK, "new achievement")
	checkPage(t, ctx, "achievement editor, new")
}

// adminPeoplePages invites a person, imports a roster and fails to import
// a wrong one.
func adminPeoplePages(t *testing.T, ctx context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/admin/people"), http.StatusOK, "people")
	checkPage(t, ctx, "people")
	fill(t, ctx, label("Name"), "Jamie Newcomer")
	fill(t, ctx, label("Email"), "jamie@maplevalley.example")
	fill(t, ctx, label("Role"), "reviewer")
	wantStatus(t, click(t, ctx, named("Invite and make a link")), http.StatusOK, "inviting")
	waitText(t, ctx, "Invitation ready")
	checkPage(t, ctx, "invitation link")

	importRoster(t, ctx, l, "name,email,role\nJordan Lee,jordan.lee@maplevalley.example,\n"+
		"Sam Rivera,sam.rivera@maplevalley.example,reviewer\n", http.StatusOK)
	waitText(t, ctx, "Roster imported")
	checkPage(t, ctx, "roster imported")

	importRoster(t, ctx, l, "name,email\nAlex Kim,not an email\n", http.StatusBadRequest)
	waitText(t, ctx, "line 2")
	checkPage(t, ctx, "roster refused")
}

// importRoster uploads csv on the People page and wants status.
func importRoster(t *testing.T, ctx context.Context, l *laurel, csv string, status int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, open(t, ctx, l.URL+"/admin/people"), http.StatusOK, "people")
	upload(t, ctx, label("Roster file (CSV)"), path)
	wantStatus(t, click(t, ctx, named("Import and make links")), status, "importing a roster")
}

// adminRecordPages searches the credentials, reads the audit record, the
// issuer settings and the report, and downloads the report as CSV.
func adminRecordPages(t *testing.T, ctx context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, click(t, ctx, named("Credentials")), http.StatusOK, "credentials")
	fill(t, ctx, label("Search"), "Taylor")
	wantStatus(t, click(t, ctx, named("Search")), http.StatusOK, "credentials search")
	waitText(t, ctx, "1 credential")
	checkPage(t, ctx, "credentials searched")

	for _, page := range []struct{ path, text string }{
		{"/admin/audit", "Refused"},
		{"/admin/issuer", "Maple Valley School District"},
		{"/admin/report", "Taylor Teacher"},
	} {
		wantStatus(t, open(t, ctx, l.URL+page.path), http.StatusOK, page.path)
		waitText(t, ctx, page.text)
		checkPage(t, ctx, page.path)
	}

	csv := download(t, ctx, named("Download as CSV"))
	if csv.Status != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
		!bytes.Contains(csv.Body, []byte("Taylor Teacher")) {
		t.Errorf("report CSV: status %d, type %q, %d bytes", csv.Status, csv.Header.Get("Content-Type"),
			len(csv.Body))
	}
}

// verifierPages opens the public badge page, then checks the badge on the
// verifier page pasted and by its address, and a paste that is no badge.
func verifierPages(t *testing.T, ctx context.Context, l *laurel, publicLink string) {
	t.Helper()
	wantStatus(t, open(t, ctx, publicLink), http.StatusOK, "public badge page")
	waitText(t, ctx, "Its issuer has not revoked or suspended it.")
	checkPage(t, ctx, "public page, valid")
	credential := download(t, ctx, named("Signed credential (JSON)"))
	wantStatus(t, credential.Status, http.StatusOK, "the signed credential")

	wantStatus(t, open(t, ctx, l.URL+"/verify"), http.StatusOK, "verifier")
	checkPage(t, ctx, "verifier")
	setValue(t, ctx, label("Credential JSON or JWT"), string(credential.Body))
	click(t, ctx, named("Check the credential"))
	wantVerdict(t, ctx, "Valid")
	checkPage(t, ctx, "verifier report, pasted")

	verifyAddress(t, ctx, l, publicLink)

	fill(t, ctx, label("Credential JSON or JWT"), "not a badge")
	wantStatus(t, click(t, ctx, named("Check the credential")), http.StatusBadRequest,
		"checking garbage")
	waitText(t, ctx, "Laurel found no credential in this.")
	checkPage(t, ctx, "verifier, not a badge")
}

// verifyAddress checks the badge by its public link, then opens the
// result's own link.
func verifyAddress(t *testing.T, ctx context.Context, l *laurel, publicLink string) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/verify"), http.StatusOK, "verifier")
	fill(t, ctx, label("Address of the badge"), publicLink)
	wantStatus(t, click(t, ctx, named("Check the address")), http.StatusOK, "checking the address")
	wantVerdict(t, ctx, "Valid")
	checkPage(t, ctx, "verifier report, address")

	link := readValue(t, ctx, "#result-link")
	if want := l.URL + "/verify?url=" + url.QueryEscape(publicLink); link != want {
		t.Errorf("the result link is %s, want %s", pathOf(link), pathOf(want))
	}
	wantStatus(t, open(t, ctx, link), http.StatusOK, "the result link")
	wantVerdict(t, ctx, "Valid")
	checkPage(t, ctx, "verifier report, result link")
}

// wantVerdict fails t unless the verifier's verdict starts with verdict.
func wantVerdict(t *testing.T, ctx context.Context, verdict string) {
	t.Helper()
	if got := readText(t, ctx, css(".verdict")); !strings.HasPrefix(got, verdict) {
		fail(t, ctx, "verdict", "the verifier says %q, want %q", got, verdict)
	}
}

// errorPages opens a page of another role (403) and a submission that
// does not exist (404).
func errorPages(t *testing.T, teacher, reviewer context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, open(t, teacher, l.URL+"/admin/people"), http.StatusForbidden,
		"people, as a teacher")
	waitText(t, teacher, "auth.forbidden")
	checkPage(t, teacher, "forbidden")
	wantStatus(t, open(t, reviewer, l.URL+"/review/no-such-submission"), http.StatusNotFound,
		"unknown submission")
	waitText(t, reviewer, "resource.not_found")
	checkPage(t, reviewer, "not found")
}
