package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The story of issue #6, in a real browser against a real laurel serve:
// an administrator creates an achievement and invites a teacher and a
// reviewer; the teacher signs in through the invitation and submits
// evidence; the reviewer returns it, the teacher resubmits, the reviewer
// approves; the teacher downloads the baked PNG; the verifier page reports
// it valid; the report shows the credit hours; the administrator revokes
// it; the verifier page and the public page show it revoked, and the
// report stops counting it. Every page on the way passes checkPage.
func TestBadgeStory(t *testing.T) {
	l := startLaurel(t)
	admin, teacher, reviewer, visitor := newTab(t), newTab(t), newTab(t), newTab(t)
	password := rand.Text()

	wantStatus(t, open(t, admin, l.invitation(t, "admin@localhost")), http.StatusOK, "admin invitation")
	wantStatus(t, setPassword(t, admin, password), http.StatusOK, "admin home")
	createAchievement(t, admin)
	join(t, teacher, invite(t, admin, l, "Tess Teacher", "tess@district.example", "earner"), password)
	join(t, reviewer, invite(t, admin, l, "Rae Reviewer", "rae@district.example", "reviewer"), password)

	submission := submitEvidence(t, teacher)
	decide(t, reviewer, l, "What the teacher should add", "Add a student work sample.", "Return with comment")
	resubmit(t, teacher, submission)
	approve(t, reviewer, l)

	badge := downloadBadge(t, teacher)
	publicLink := readValue(t, teacher, "#public-link")
	verifyFile(t, visitor, l, badge, "Valid")
	wantReportHours(t, admin, l, "Tess Teacher", "2.5")

	revoke(t, admin, l)
	verifyFile(t, visitor, l, badge, "Not valid")
	waitText(t, visitor, "revoked")
	wantStatus(t, open(t, visitor, publicLink), http.StatusOK, "public badge page")
	waitText(t, visitor, "This badge was revoked by its issuer")
	checkPage(t, visitor, "public page, revoked")
	wantStatus(t, open(t, admin, l.URL+"/admin/report"), http.StatusOK, "report after revoking")
	waitText(t, admin, "No credential counts in this period.")
}

// createAchievement fills in the achievement editor, with a rubric and an
// image, as a district's administrator would.
func createAchievement(t *testing.T, ctx context.Context) {
	t.Helper()
	wantStatus(t, click(t, ctx, named("New achievement")), http.StatusOK, "new achievement")
	checkPage(t, ctx, "achievement editor")
	fill(t, ctx, label("Name"), "Culturally Responsive Teaching")
	fill(t, ctx, label("Description"), "Plans lessons that draw on students' cultures.")
	fill(t, ctx, label("Criteria"), "Submit a lesson plan and a reflection on teaching it.")
	fill(t, ctx, label("Credit hours"), "2.5")
	fill(t, ctx, label("Tags"), "equity, planning")
	check(t, ctx, css("#evidence-narrative"), true)
	fill(t, ctx, css("#level-id-1"), "meets")
	fill(t, ctx, css("#level-name-1"), "Meets the standard")
	wantStatus(t, click(t, ctx, named("Create achievement")), http.StatusOK, "creating the achievement")
	waitText(t, ctx, "Culturally Responsive Teaching")

	upload(t, ctx, css("#image"), writePNG(t))
	wantStatus(t, click(t, ctx, named("Upload image")), http.StatusOK, "uploading the image")
	checkPage(t, ctx, "achievement with its image")
}

// invite invites a person from the People page and returns the link the
// page shows once.
func invite(t *testing.T, ctx context.Context, l *laurel, name, email, role string) string {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/admin/people"), http.StatusOK, "people")
	checkPage(t, ctx, "people")
	fill(t, ctx, label("Name"), name)
	fill(t, ctx, label("Email"), email)
	fill(t, ctx, label("Role"), role)
	wantStatus(t, click(t, ctx, named("Invite and make a link")), http.StatusOK, "inviting "+name)
	checkPage(t, ctx, "invitation link")
	return readValue(t, ctx, "#link-0")
}

// join opens an invitation in the person's own tab and sets a password.
func join(t *testing.T, ctx context.Context, link, password string) {
	t.Helper()
	wantStatus(t, open(t, ctx, link), http.StatusOK, "invitation")
	wantStatus(t, setPassword(t, ctx, password), http.StatusOK, "home after the invitation")
	checkPage(t, ctx, "home after the invitation")
}

// submitEvidence finds the achievement in the catalogue and submits a
// narrative; it returns the submission's address.
func submitEvidence(t *testing.T, ctx context.Context) string {
	t.Helper()
	wantStatus(t, click(t, ctx, named("Catalogue")), http.StatusOK, "catalogue")
	checkPage(t, ctx, "catalogue")
	wantStatus(t, click(t, ctx, named("Culturally Responsive Teaching")), http.StatusOK, "achievement")
	checkPage(t, ctx, "achievement and submit form")
	fill(t, ctx, label("What you did and what you learned"), "I taught a unit on family stories.")
	check(t, ctx, label("Share the narrative publicly in the badge"), true)
	wantStatus(t, click(t, ctx, named("Submit for review")), http.StatusOK, "submitting")
	waitText(t, ctx, "Waiting for review")
	checkPage(t, ctx, "submission")
	return currentURL(t, ctx)
}

// decide opens the oldest submission in the queue and answers it with a
// comment.
func decide(t *testing.T, ctx context.Context, l *laurel, field, comment, button string) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/review"), http.StatusOK, "review queue")
	checkPage(t, ctx, "review queue")
	wantStatus(t, click(t, ctx, named("Culturally Responsive Teaching")), http.StatusOK, "submission")
	checkPage(t, ctx, "submission under review")
	fill(t, ctx, label(field), comment)
	wantStatus(t, click(t, ctx, named(button)), http.StatusOK, button)
}

// resubmit reads the reviewer's comment and sends the evidence again.
func resubmit(t *testing.T, ctx context.Context, submission string) {
	t.Helper()
	wantStatus(t, click(t, ctx, named("My submissions")), http.StatusOK, "my submissions")
	waitText(t, ctx, "Returned")
	checkPage(t, ctx, "my submissions")
	wantStatus(t, click(t, ctx, named("Culturally Responsive Teaching")), http.StatusOK, "returned submission")
	path, _, _ := strings.Cut(pathOf(submission), "#")
	wantPath(t, ctx, path)
	waitText(t, ctx, "Add a student work sample.")
	checkPage(t, ctx, "returned submission")
	fill(t, ctx, label("What you did and what you learned"),
		"I taught a unit on family stories; a student's story map is attached as a link.")
	fill(t, ctx, label("Link 1: address"), "https://docs.example/story-map")
	wantStatus(t, click(t, ctx, named("Submit for review")), http.StatusOK, "resubmitting")
	waitText(t, ctx, "Waiting for review")
}

// approve approves the submission at the rubric's first level.
func approve(t *testing.T, ctx context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/review"), http.StatusOK, "review queue")
	wantStatus(t, click(t, ctx, named("Culturally Responsive Teaching")), http.StatusOK, "submission")
	check(t, ctx, css("#level-0"), true)
	wantStatus(t, click(t, ctx, named("Approve and issue the badge")), http.StatusOK, "approving")
	waitText(t, ctx, "Approved")
	checkPage(t, ctx, "queue after approval")
}

// downloadBadge opens the teacher's badge and downloads it baked into its
// PNG; it returns the file's path.
func downloadBadge(t *testing.T, ctx context.Context) string {
	t.Helper()
	wantStatus(t, click(t, ctx, named("My badges")), http.StatusOK, "my badges")
	waitText(t, ctx, "2.5")
	checkPage(t, ctx, "my badges")
	wantStatus(t, click(t, ctx, named("Culturally Responsive Teaching")), http.StatusOK, "badge")
	checkPage(t, ctx, "sharing a badge")

	got := download(t, ctx, named("Badge image (PNG)"))
	if got.Status != http.StatusOK || !bytes.HasPrefix(got.Body, []byte("\x89PNG")) {
		t.Fatalf("baked PNG: status %d, %d bytes", got.Status, len(got.Body))
	}
	path := filepath.Join(t.TempDir(), "badge.png")
	if err := os.WriteFile(path, got.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// verifyFile uploads a file on the verifier page and waits for verdict.
func verifyFile(t *testing.T, ctx context.Context, l *laurel, path, verdict string) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/verify"), http.StatusOK, "verifier")
	upload(t, ctx, label("Badge image or credential file"), path)
	click(t, ctx, named("Check the file"))
	if got := readText(t, ctx, css(".verdict")); !strings.HasPrefix(got, verdict) {
		fail(t, ctx, "verdict", "the verifier says %q, want %q", got, verdict)
	}
	checkPage(t, ctx, "verifier report: "+verdict)
}

// wantReportHours reads the report's total for this school year.
func wantReportHours(t *testing.T, ctx context.Context, l *laurel, teacher, hours string) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/admin/report"), http.StatusOK, "report")
	waitText(t, ctx, teacher)
	if got := readText(t, ctx, css("tfoot td.num:last-child")); got != hours {
		fail(t, ctx, "report", "the report's total is %q hours, want %s", got, hours)
	}
	checkPage(t, ctx, "report")
}

// revoke revokes the only credential from the Credentials page.
func revoke(t *testing.T, ctx context.Context, l *laurel) {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/admin/credentials"), http.StatusOK, "credentials")
	checkPage(t, ctx, "credentials")
	clickStay(t, ctx, css("main details summary"))
	fill(t, ctx, css(`[id^="revoke-"]`), "Evidence was not the teacher's own.")
	wantStatus(t, click(t, ctx, named("Revoke for good")), http.StatusOK, "revoking")
	waitText(t, ctx, "Revoked")
}

// readValue returns the value of the input selector names.
func readValue(t testing.TB, ctx context.Context, selector string) string {
	t.Helper()
	waitFor(t, ctx, css(selector))
	return run(t, ctx, "reading "+selector,
		chromedp.Evaluate[string](`(`+css(selector).js+`).value`))
}

// writePNG writes a small badge image and returns its path.
func writePNG(t testing.TB) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := range 64 {
		for y := range 64 {
			img.Set(x, y, color.RGBA{R: 31, G: 95, B: 63, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "badge-image.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
