package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/issuer"
)

// tinyPNG is a valid 2×2 PNG, for badge images and evidence files.
func tinyPNG(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// offerAchievement adds an achievement to the office's catalogue.
func (o *officeServer) offerAchievement(t testing.TB, name string, hours float64, tags []string,
	required ...string) *issuer.Achievement {
	t.Helper()
	in := issuer.AchievementInput{
		Name: name, Description: "About " + name + ".", CreditsAvailable: hours, Tags: tags,
		Criteria: issuer.Criteria{Narrative: "Show " + name + " in class.",
			URL: "https://district.example/criteria"},
		RequiredEvidence: required,
		Alignments: []issuer.Alignment{{TargetName: "Standard 4",
			TargetURL: "https://standards.example/4"}},
		Rubric: []issuer.RubricLevel{{ID: "proficient", Name: "Proficient",
			Description: "Does it well."}},
	}
	a, err := o.office.CreateAchievement(context.Background(), o.person(t, issuer.RoleAdmin), in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// mustContain fails unless body holds every one of wants.
func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Fatalf("page lacks %q:\n%s", w, body)
		}
	}
}

func mustLack(t testing.TB, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Fatalf("page holds %q:\n%s", u, body)
		}
	}
}

// The catalogue lists what is on offer and filters it by text, tag and
// credit hours through a GET form; an empty result says so.
func TestTeacherCatalogue(t *testing.T) {
	o := startOffice(t)
	sel := o.offerAchievement(t, "Restorative Circles", 1, []string{"SEL"})
	fa := o.offerAchievement(t, "Formative Assessment", 5, []string{"Assessment"})
	o.offerAchievement(t, "Coaching Cycles", 12, []string{"SEL", "Leadership"})
	err := o.office.SetAchievementImage(context.Background(), o.person(t, issuer.RoleAdmin), fa.ID, "image/png",
		tinyPNG(t))
	if err != nil {
		t.Fatal(err)
	}
	b := o.signIn(t, issuer.RoleEarner)

	all := b.mustGet("/catalogue")
	mustContain(t, all, "3 achievements on offer", `href="/catalogue/`+sel.ID+`"`, "Restorative Circles",
		"1 credit hour<", "12 credit hours", `<option value="Leadership">`,
		`src="/achievements/`+fa.ID+`/image" alt="Formative Assessment badge"`)
	mustLack(t, all, `src="/achievements/`+sel.ID+`/image"`)

	cases := []struct {
		query      string
		want, lack []string
	}{
		{"q=ASSESS", []string{"Formative Assessment", "1 achievement found"}, []string{"Restorative", "Coaching"}},
		{"q=leader", []string{"Coaching Cycles"}, []string{"Restorative", "Formative"}},
		{"tag=SEL", []string{"Restorative", "Coaching", `<option value="SEL" selected>`},
			[]string{"Formative Assessment<"}},
		{"hours=over10", []string{"Coaching"}, []string{"Restorative", "Formative"}},
		{"hours=1to5&tag=Assessment", []string{"Formative", `<option value="1to5" selected>`},
			[]string{"Coaching"}},
		{"q=nothing+like+it", []string{"No achievements match", `href="/catalogue">see the whole catalogue`}, nil},
	}
	for _, c := range cases {
		body := b.mustGet("/catalogue?" + c.query)
		mustContain(t, body, c.want...)
		mustLack(t, body, c.lack...)
	}
}

// An achievement's page shows what it takes and the form, whose narrative,
// link and files (public and private) become the submission's evidence.
func TestTeacherSubmitEvidence(t *testing.T) {
	o := startOffice(t)
	a := o.offerAchievement(t, "Formative Assessment", 5, nil, issuer.EvidenceNarrative, issuer.EvidenceFile)
	b := o.signIn(t, issuer.RoleEarner)

	page := b.mustGet("/catalogue/" + a.ID)
	mustContain(t, page, "<h1>Formative Assessment</h1>", "Show Formative Assessment in class.",
		`href="https://district.example/criteria"`, "Standard 4", "Proficient", "a written narrative",
		`enctype="multipart/form-data"`, `name="file_public_1"`, "share publicly")

	form := url.Values{"narrative": {"I used exit tickets."}, "narrative_public": {"1"},
		"link_url_1": {"https://drive.example/plan"}, "link_name_1": {"Lesson plan"}}
	status, body := b.postFiles("/catalogue/"+a.ID, with(form, "file_public_1", "1"),
		upload{"file_1", "slide.png", tinyPNG(t)}, upload{"file_2", "notes.txt", []byte("My notes.\n")})
	if status != http.StatusOK {
		t.Fatalf("submitting: status %d\n%s", status, body)
	}
	mustContain(t, body, "is waiting for review", "Waiting for review", "Lesson plan", "slide.png")

	sub := onlySubmission(t, o)
	ev := sub.Evidence
	if len(ev) != 4 || ev[0].Narrative != "I used exit tickets." || !ev[0].Public ||
		ev[1].URL != "https://drive.example/plan" || ev[1].Name != "Lesson plan" || ev[1].Public ||
		ev[2].Name != "slide.png" || !ev[2].Public || ev[3].Name != "notes.txt" || ev[3].Public {
		t.Fatalf("evidence %+v", ev)
	}
	mustContain(t, body, `href="/files/`+ev[2].File+`"`)
	_, ct, data, err := o.office.EvidenceFile(o.person(t, issuer.RoleReviewer), ev[3].File)
	if err != nil || ct != "text/plain" || string(data) != "My notes.\n" {
		t.Fatalf("stored file %q %q %v", ct, data, err)
	}
}

func with(v url.Values, key, value string) url.Values {
	v = cloneValues(v)
	v.Set(key, value)
	return v
}

// onlySubmission returns the earner's one submission.
func onlySubmission(t testing.TB, o *officeServer) *issuer.Submission {
	t.Helper()
	subs, err := o.office.MySubmissions(o.person(t, issuer.RoleEarner), 10)
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions %+v, %v", subs, err)
	}
	return &subs[0]
}

// A form missing required evidence, with a bad link or an unusable file
// comes back with a clear message and the narrative kept, and nothing is
// stored.
func TestTeacherSubmitRefused(t *testing.T) {
	o := startOffice(t)
	a := o.offerAchievement(t, "Formative Assessment", 5, nil, issuer.EvidenceNarrative, issuer.EvidenceFile)
	b := o.signIn(t, issuer.RoleEarner)
	b.mustGet("/catalogue/" + a.ID)

	narrative := url.Values{"narrative": {"Exit tickets & <hinge> questions."}}
	cases := []struct {
		name  string
		form  url.Values
		files []upload
		want  string
	}{
		{"missing file", narrative, nil, "This achievement requires a file."},
		{"bad link", with(narrative, "link_url_2", "javascript:alert(1)"),
			[]upload{{"file_1", "a.png", tinyPNG(t)}}, "Link 2 is not a web address"},
		{"html file", narrative, []upload{{"file_1", "page.txt", []byte("<html><script>x</script></html>")}},
			"is not a PDF, PNG, JPEG or plain text file"},
		{"nothing", url.Values{}, nil, "requires a written narrative and a file"},
	}
	for _, c := range cases {
		status, body := b.postFiles("/catalogue/"+a.ID, c.form, c.files...)
		if status != http.StatusBadRequest {
			t.Fatalf("%s: status %d\n%s", c.name, status, body)
		}
		mustContain(t, body, `role="alert"`, c.want)
		if c.form.Get("narrative") != "" {
			mustContain(t, body, ">Exit tickets &amp; &lt;hinge&gt; questions.</textarea>")
		}
	}
	if subs, _ := o.office.MySubmissions(o.person(t, issuer.RoleEarner), 10); len(subs) != 0 {
		t.Fatalf("refused forms stored %+v", subs)
	}
}

// A returned submission shows the reviewer's comment and a resubmit form
// with the evidence prefilled; resubmitting puts it back in the queue.
func TestTeacherReturnAndResubmit(t *testing.T) {
	o := startOffice(t)
	a := o.offerAchievement(t, "Formative Assessment", 5, nil, issuer.EvidenceFile)
	b := o.signIn(t, issuer.RoleEarner)
	b.mustGet("/catalogue/" + a.ID)
	b.postFiles("/catalogue/"+a.ID, url.Values{"narrative": {"First try."}}, upload{"file_1", "plan.pdf",
		[]byte("%PDF-1.4\n%EOF\n")})
	sub := onlySubmission(t, o)

	ctx := context.Background()
	reviewer := o.person(t, issuer.RoleReviewer)
	if _, err := o.office.Return(ctx, reviewer, sub.ID, "Add a sample of student work."); err != nil {
		t.Fatal(err)
	}
	page := b.mustGet("/submissions/" + sub.ID)
	mustContain(t, page, "Returned to you", "Add a sample of student work.", "by reviewer person",
		">First try.</textarea>", `name="keep" value="`+sub.Evidence[1].File+`" checked`, "Send new evidence")

	status, body := b.post("/submissions/"+sub.ID, url.Values{"narrative": {"Second try, with work."},
		"keep": {sub.Evidence[1].File}, "keep_public_" + sub.Evidence[1].File: {"1"}})
	if status != http.StatusOK {
		t.Fatalf("resubmitting: status %d\n%s", status, body)
	}
	mustContain(t, body, "Your new evidence is waiting for review.", "Resubmitted", "Waiting for review")
	mustLack(t, body, "Send new evidence")

	got := onlySubmission(t, o)
	if got.State != issuer.StateSubmitted || len(got.Evidence) != 2 ||
		got.Evidence[0].Narrative != "Second try, with work." ||
		got.Evidence[1].File != sub.Evidence[1].File || !got.Evidence[1].Public {
		t.Fatalf("resubmitted %+v", got)
	}

	// Posting again, now that it waits for review, changes nothing.
	b.post("/submissions/"+sub.ID, url.Values{"narrative": {"Third."}})
	mustContain(t, b.last, "no longer waiting for your changes")
	if onlySubmission(t, o).Evidence[0].Narrative != "Second try, with work." {
		t.Fatal("a second resubmission was taken")
	}
}

// approveOne takes a submission through review and returns the UUID of
// its credential.
func approveOne(t *testing.T, o *officeServer, b *browser, a *issuer.Achievement) (string, *issuer.Submission) {
	t.Helper()
	b.mustGet("/catalogue/" + a.ID)
	b.post("/catalogue/"+a.ID, url.Values{"narrative": {"Evidence."}, "narrative_public": {"1"}})
	sub := onlySubmission(t, o)
	reviewer := o.person(t, issuer.RoleReviewer)
	cred, err := o.office.Approve(context.Background(), reviewer, sub.ID, issuer.ApproveInput{})
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(cred.ID, "urn:uuid:"), sub
}

func issuedAt(t testing.TB, o *officeServer, uuid string) time.Time {
	t.Helper()
	sum, err := o.office.Summary(uuid)
	if err != nil {
		t.Fatal(err)
	}
	return sum.IssuedAt
}

// My badges is the teacher's home: empty at first, then listing the
// approved badge with its hours and the school year's total.
func TestTeacherBadges(t *testing.T) {
	o := startOffice(t)
	a := o.offerAchievement(t, "Formative Assessment", 7.5, nil)
	b := o.signIn(t, issuer.RoleEarner)
	mustContain(t, b.last, "<h1>My badges</h1>", "No badges yet — browse the catalogue")

	uuid, sub := approveOne(t, o, b, a)
	body := b.mustGet("/submissions/" + sub.ID)
	mustContain(t, body, "Approved", `href="/badges/`+uuid+`"`)

	body = b.mustGet("/badges")
	year := issuer.SchoolYear(issuedAt(t, o, uuid))
	mustContain(t, body, `href="/badges/`+uuid+`">Formative Assessment</a>`, "7.5 credit hours",
		`<span class="pill good">Valid</span>`, "<th scope=\"row\">"+year+"</th><td class=\"num\">7.5</td>",
		`All years</th><td class="num"><strong>7.5</strong>`)
}

// A badge's page shares it: its public link, LinkedIn, downloads, the
// verifier, a QR code that decodes, and the wallet.
func TestTeacherShareBadge(t *testing.T) {
	o := startOffice(t)
	a := o.offerAchievement(t, "Formative Assessment", 5, nil)
	b := o.signIn(t, issuer.RoleEarner)
	uuid, _ := approveOne(t, o, b, a)
	public := o.office.CredentialURL(uuid)

	body := b.mustGet("/badges/" + uuid)
	mustContain(t, body, `id="public-link" type="url" readonly value="`+public+`"`, `data-copy="public-link"`,
		`href="/verify?url=`+url.QueryEscape(public)+`"`, `href="/credentials/`+uuid+`/credential.json"`,
		`src="/badges/`+uuid+`/qr.png"`, "Maple Valley School District")
	mustLack(t, body, "credential.jwt", "badge.png")

	q := linkQuery(t, body, `https://www.linkedin.com/profile/add?`)
	issued := issuedAt(t, o, uuid)
	for k, want := range map[string]string{"startTask": "CERTIFICATION_NAME", "name": "Formative Assessment",
		"organizationName": "Maple Valley School District", "certUrl": public, "certId": uuid,
		"issueYear": issued.Format("2006"), "issueMonth": strings.TrimPrefix(issued.Format("01"), "0")} {
		if q.Get(k) != want {
			t.Errorf("LinkedIn %s = %q, want %q", k, q.Get(k), want)
		}
	}

	checkWalletOffer(t, o, linkQuery(t, body, "https://lcw.app/request?").Get("request"), uuid)

	resp, err := b.client.Get(o.url + "/badges/" + uuid + "/qr.png")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	img, err := png.Decode(resp.Body)
	if err != nil || resp.Header.Get("Content-Type") != "image/png" || img.Bounds().Dx() < 100 {
		t.Fatalf("QR code: %v, %s", err, resp.Header.Get("Content-Type"))
	}
}

// checkWalletOffer checks the message of the wallet link: an offer from
// the office of a presentation holding the credential as signed, with no
// bare % (LCW runs the message through decodeURI).
func checkWalletOffer(t *testing.T, o *officeServer, message, uuid string) {
	t.Helper()
	var offer struct {
		Origin string `json:"credentialRequestOrigin"`
		VP     struct {
			Type        []string          `json:"type"`
			Credentials []json.RawMessage `json:"verifiableCredential"`
		} `json:"verifiablePresentation"`
	}
	if err := json.Unmarshal([]byte(message), &offer); err != nil || strings.Contains(message, "%") {
		t.Fatalf("wallet message %s: %v", message, err)
	}
	cred, err := o.office.Credential(uuid)
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if len(offer.VP.Credentials) != 1 || json.Unmarshal(offer.VP.Credentials[0], &got) != nil ||
		json.Unmarshal(cred.Document, &want) != nil || !reflect.DeepEqual(got, want) ||
		offer.Origin != o.office.PublicURL() || offer.VP.Type[0] != "VerifiablePresentation" {
		t.Fatalf("wallet offer %+v differs from the credential", offer)
	}
}

// linkQuery returns the query of the first link on the page starting
// with prefix.
func linkQuery(t testing.TB, body, prefix string) url.Values {
	t.Helper()
	m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(prefix) + `[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link to %s:\n%s", prefix, body)
	}
	u, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// Another teacher learns nothing of someone's submission or badge, a
// reviewer is refused the teacher's pages, and a visitor is sent to sign in.
func TestTeacherPagesPrivacy(t *testing.T) {
	o := startOffice(t)
	a := o.offerAchievement(t, "Formative Assessment", 5, nil)
	b := o.signIn(t, issuer.RoleEarner)
	uuid, sub := approveOne(t, o, b, a)

	other, _, err := o.office.AddUser(context.Background(), "Other teacher", "other@district.example",
		issuer.RoleEarner)
	if err != nil {
		t.Fatal(err)
	}
	ob := newBrowser(t, o.url)
	ob.acceptInvitation(o.invite(t, other.ID))
	missing := map[string]string{sub.ID: "sub_AAAAAAAAAAA", uuid: "00000000-0000-4000-8000-000000000000"}
	for _, path := range []string{"/submissions/" + sub.ID, "/badges/" + uuid, "/badges/" + uuid + "/qr.png"} {
		status, body := ob.get(path)
		if status != http.StatusNotFound || strings.Contains(body, "Formative") {
			t.Errorf("another teacher GET %s: status %d\n%s", path, status, body)
		}
		// Someone else's record and one that does not exist read alike.
		for real, fake := range missing {
			path, body = strings.ReplaceAll(path, real, fake), strings.ReplaceAll(body, real, fake)
		}
		if _, absent := ob.get(path); absent != body {
			t.Errorf("GET %s tells someone else's record from a missing one:\n%s\n%s", path, body, absent)
		}
	}
	status, _ := ob.post("/submissions/"+sub.ID, url.Values{"narrative": {"Mine now."}})
	if status != http.StatusNotFound {
		t.Errorf("another teacher resubmitting: status %d", status)
	}

	// Signed in through an invitation like signIn, without asking the
	// reviewer's home page (another area's) to answer.
	rb, invite := newBrowser(t, o.url), o.invite(t, o.person(t, issuer.RoleReviewer).ID)
	rb.mustGet(invite)
	rb.post(invite, url.Values{"password": {testPassword}, "confirm": {testPassword}})
	for _, path := range []string{"/catalogue", "/badges", "/submissions/" + sub.ID} {
		if status, _ := rb.get(path); status != http.StatusForbidden {
			t.Errorf("reviewer GET %s: status %d", path, status)
		}
	}

	visitor := newBrowser(t, o.url)
	visitor.mustGet("/catalogue?q=x")
	mustContain(t, visitor.last, `name="next" value="/catalogue?q=x"`)
}

// The wallet link's message survives LCW's decodeURI: a % in the
// credential is written \u0025, which JSON reads back as %.
func TestTeacherWalletLinkEscapesPercent(t *testing.T) {
	link, err := walletLink("https://badges.district.example", json.RawMessage(`{"name":"50% of lessons & more"}`))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link)
	if err != nil || u.Host != "lcw.app" || u.Path != "/request" || strings.Contains(u.RawQuery, "+") {
		t.Fatalf("link %s: %v", link, err)
	}
	message := u.Query().Get("request")
	var offer struct {
		VP struct {
			Credentials []struct{ Name string } `json:"verifiableCredential"`
		} `json:"verifiablePresentation"`
	}
	if strings.Contains(message, "%") || json.Unmarshal([]byte(message), &offer) != nil ||
		offer.VP.Credentials[0].Name != "50% of lessons & more" {
		t.Fatalf("message %s", message)
	}
}
