package httpapi

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/issuer"
)

// webDID is the did:web DID of startWebOffice's default issuer.
const webDID = "did:web:badges.district.example"

// startWebOffice starts an office server whose default issuer is a did:web
// issuer, with the same three people startOffice has.
func startWebOffice(t *testing.T) *officeServer {
	t.Helper()
	office := testkit.NewOffice(t, testkit.OfficeConfig{IssuerDID: webDID}).Service
	o := &officeServer{office: office, tokens: map[issuer.Role]string{}}
	o.testServer = startServer(t, func(c *Config) {
		c.Office, c.Signer, c.Authorizer = office, nil, OfficeAuthorizer{Office: office}
	})
	for _, role := range []issuer.Role{issuer.RoleAdmin, issuer.RoleReviewer, issuer.RoleEarner} {
		name, email := string(role)+" person", string(role)+"@district.example"
		_, token, err := office.AddUser(context.Background(), name, email, role)
		if err != nil {
			t.Fatal(err)
		}
		o.tokens[role] = token
	}
	return o
}

// signInElsewhere signs a browser in as the person with role, without
// needing their home page: other roles' pages are built on other branches.
func signInElsewhere(t *testing.T, o *officeServer, role issuer.Role) *browser {
	t.Helper()
	b := newBrowser(t, o.url)
	path := o.invite(t, o.person(t, role).ID)
	b.mustGet(path)
	b.post(path, url.Values{"password": {testPassword}, "confirm": {testPassword}})
	if !strings.Contains(b.last, "Signed in as") {
		t.Fatalf("signing in as %s:\n%s", role, b.last)
	}
	return b
}

// lacks returns the first of wants body does not hold, or "".
func lacks(body string, wants ...string) string {
	for _, w := range wants {
		if !strings.Contains(body, w) {
			return w
		}
	}
	return ""
}

// achievementFormValues is a complete editor form: one alignment with the
// editor's spare row left empty, and a rubric level without an id.
func achievementFormValues() url.Values {
	return url.Values{
		"name":              {"Formative Assessment in Practice"},
		"description":       {"Uses formative assessment to adjust instruction."},
		"narrative":         {"Two lesson plans with student work and a reflection."},
		"criteria_url":      {"https://district.example/pd/formative"},
		"type":              {"MicroCredential"},
		"tags":              {"assessment, literacy, Assessment, "},
		"credits":           {"1.5"},
		"valid_days":        {"365"},
		"evidence":          {"narrative", "file"},
		"align_name":        {"InTASC 6", ""},
		"align_url":         {"https://ccsso.org/intasc", ""},
		"align_framework":   {"InTASC", ""},
		"align_code":        {"6", ""},
		"level_id":          {"meets", "", ""},
		"level_name":        {"Meets", "Exceeds the standard", ""},
		"level_description": {"Meets every criterion.", "", ""},
	}
}

// createThroughForm posts the editor's form and returns the one
// achievement it made.
func createThroughForm(t *testing.T, o *officeServer, b *browser, form url.Values) *issuer.Achievement {
	t.Helper()
	b.mustGet("/admin/achievements/new")
	status, body := b.post("/admin/achievements", form)
	if status != http.StatusOK || lacks(body, "is in the catalogue") != "" {
		t.Fatalf("creating: status %d\n%s", status, body)
	}
	list, err := o.office.Achievements(true)
	if err != nil || len(list) != 1 {
		t.Fatalf("achievements: %v %v", list, err)
	}
	return &list[0]
}

func TestAdminHomeWithoutAchievements(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	if miss := lacks(b.last, "No achievements yet", `href="/admin/achievements/new"`); miss != "" {
		t.Fatalf("the admin's home lacks %s:\n%s", miss, b.last)
	}
}

func TestAdminCreatesAchievement(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	a := createThroughForm(t, o, b, achievementFormValues())

	if !slices.Equal(a.Tags, []string{"assessment", "literacy"}) || a.CreditsAvailable != 1.5 ||
		a.ValidDays != 365 || a.AchievementType != "MicroCredential" ||
		a.Criteria.URL != "https://district.example/pd/formative" {
		t.Fatalf("stored: %+v", a)
	}
	wantAlign := []issuer.Alignment{{TargetName: "InTASC 6", TargetURL: "https://ccsso.org/intasc",
		TargetFramework: "InTASC", TargetCode: "6"}}
	if !slices.Equal(a.Alignments, wantAlign) {
		t.Fatalf("alignments: %+v", a.Alignments)
	}
	wantRubric := []issuer.RubricLevel{
		{ID: "meets", Name: "Meets", Description: "Meets every criterion."},
		{ID: "exceeds-the-standard", Name: "Exceeds the standard"},
	}
	if !slices.Equal(a.Rubric, wantRubric) {
		t.Fatalf("rubric: %+v", a.Rubric)
	}
	if !slices.Equal(a.RequiredEvidence, []string{issuer.EvidenceNarrative, issuer.EvidenceFile}) {
		t.Fatalf("required evidence: %v", a.RequiredEvidence)
	}

	// The editor shows what was saved, with two spare rows after each list.
	if miss := lacks(b.last, `value="InTASC 6"`, `id="align-name-3"`, `value="exceeds-the-standard"`,
		`id="level-name-4"`, `value="file" checked`, `<option value="MicroCredential" selected>`); miss != "" {
		t.Fatalf("editor lacks %s\n%s", miss, b.last)
	}
	list := b.mustGet("/admin/achievements")
	if miss := lacks(list, "Formative Assessment in Practice", "1.5 credit hours",
		`<li class="pill plain">literacy</li>`); miss != "" {
		t.Fatalf("list lacks %s:\n%s", miss, list)
	}
}

func TestAdminAchievementBadInput(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	cases := map[string]struct{ field, value, message string }{
		"empty name":         {"name", "  ", "Name is required"},
		"negative hours":     {"credits", "-2", "Credit hours must be between 0 and 1000 hours."},
		"hours not a number": {"credits", "NaN", "Credit hours must be a number"},
		"bad criteria URL":   {"criteria_url", "javascript:alert(1)", "The criteria URL must be an http(s) URL."},
		"bad alignment URL":  {"align_url", "not a url", "Each alignment needs a target name and an http(s)"},
		"bad days":           {"valid_days", "a year", "The validity must be a whole number of days"},
		"bad level id":       {"level_id", "two words", "A rubric level id may hold only letters"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			form := achievementFormValues()
			form.Set(c.field, c.value)
			b.mustGet("/admin/achievements/new")
			status, body := b.post("/admin/achievements", form)
			if status != http.StatusBadRequest || lacks(body, c.message) != "" {
				t.Fatalf("status %d, want 400 with %q\n%s", status, c.message, body)
			}
			if miss := lacks(body, "Uses formative assessment to adjust instruction.", `value="InTASC 6"`,
				`value="narrative" checked`, `id="achievement-error"`); miss != "" {
				t.Fatalf("the refused form lacks %s\n%s", miss, body)
			}
		})
	}
	if list, _ := o.office.Achievements(true); len(list) != 0 {
		t.Fatalf("a refused form stored %d achievements", len(list))
	}
}

func TestAdminEditsAchievement(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	a := createThroughForm(t, o, b, achievementFormValues())

	form := achievementFormValues()
	form.Set("name", "Formative Assessment, Advanced")
	form.Set("credits", "3")
	form.Set("valid_days", "")
	form["evidence"] = []string{"link"}
	for _, field := range []string{"align_name", "align_url", "align_framework", "align_code"} {
		form[field] = []string{"", ""}
	}
	status, body := b.post("/admin/achievements/"+a.ID, form)
	if status != http.StatusOK || lacks(body, "Your changes to Formative Assessment, Advanced are saved.") != "" {
		t.Fatalf("status %d\n%s", status, body)
	}

	got, _ := o.office.Achievement(a.ID)
	if got.Name != "Formative Assessment, Advanced" || got.CreditsAvailable != 3 || got.ValidDays != 0 ||
		len(got.Alignments) != 0 || !slices.Equal(got.RequiredEvidence, []string{"link"}) {
		t.Fatalf("updated: %+v", got)
	}

	form.Set("name", "")
	status, body = b.post("/admin/achievements/"+a.ID, form)
	if status != http.StatusBadRequest ||
		lacks(body, "Name is required", `action="/admin/achievements/`+a.ID+`"`) != "" {
		t.Fatalf("bad edit: status %d\n%s", status, body)
	}
	if status, _ := b.get("/admin/achievements/ach_nothing"); status != http.StatusNotFound {
		t.Fatalf("unknown achievement: status %d", status)
	}
}

// pngImage returns a small PNG.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		img.Set(x, x, color.RGBA{0x1f, 0x5f, 0x3f, 0xff})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAdminBadgeImage(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	a := createThroughForm(t, o, b, achievementFormValues())
	if miss := lacks(b.last, "No image yet", `data-preview="image-preview"`); miss != "" {
		t.Fatalf("editor without image lacks %s:\n%s", miss, b.last)
	}

	data := pngImage(t)
	path, shown := "/admin/achievements/"+a.ID+"/image", `src="/achievements/`+a.ID+`/image?v=`
	status, body := b.postFiles(path, nil, upload{"image", "badge.png", data})
	if status != http.StatusOK ||
		lacks(body, "The badge image of Formative Assessment in Practice is saved.", shown) != "" {
		t.Fatalf("upload: status %d\n%s", status, body)
	}
	status, served := b.get("/achievements/" + a.ID + "/image")
	if status != http.StatusOK || served != string(data) {
		t.Fatalf("served image: status %d, %d bytes", status, len(served))
	}
	if list := b.mustGet("/admin/achievements"); lacks(list, shown) != "" {
		t.Fatalf("list without thumbnail:\n%s", list)
	}

	svg := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>`
	if status, body := b.postFiles(path, nil, upload{"image", "badge.svg", []byte(svg)}); status != http.StatusOK {
		t.Fatalf("safe SVG: status %d\n%s", status, body)
	}
	if ct, _, _ := o.office.AchievementImage(a.ID); ct != "image/svg+xml" {
		t.Fatalf("stored type %s", ct)
	}
}

func TestAdminBadgeImageRefused(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	a := createThroughForm(t, o, b, achievementFormValues())
	path := "/admin/achievements/" + a.ID + "/image"

	script := `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`
	cases := map[string]struct {
		file    upload
		message string
	}{
		"SVG with a script": {upload{"image", "badge.svg", []byte(script)},
			"SVG images may not contain scripts, event handlers or foreign objects."},
		"not an image":     {upload{"image", "notes.txt", []byte("hello")}, "Images must be PNG or SVG."},
		"no file":          {upload{"image", "", nil}, "Choose a PNG or SVG file to upload."},
		"PNG in name only": {upload{"image", "badge.png", []byte("GIF89a")}, "The file is not a PNG image."},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			status, body := b.postFiles(path, nil, c.file)
			if status != http.StatusBadRequest || lacks(body, c.message, `id="image-error"`) != "" {
				t.Fatalf("status %d, want 400 with %q\n%s", status, c.message, body)
			}
		})
	}
	if _, _, err := o.office.AchievementImage(a.ID); err == nil {
		t.Fatal("a refused image was stored")
	}
}

func TestAdminArchivesAchievement(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	a := createThroughForm(t, o, b, achievementFormValues())

	status, body := b.post("/admin/achievements/"+a.ID+"/archive", nil)
	if status != http.StatusOK || lacks(body, "is archived", `<span class="pill plain">Archived</span>`) != "" {
		t.Fatalf("archive: status %d\n%s", status, body)
	}
	if got, _ := o.office.Achievement(a.ID); !got.Archived {
		t.Fatal("not archived")
	}
	editor := b.mustGet("/admin/achievements/" + a.ID)
	if strings.Contains(editor, "/archive") || lacks(editor, "Teachers can no longer submit") != "" {
		t.Fatalf("archived editor:\n%s", editor)
	}
}

func TestAdminPagesRefuseOtherRoles(t *testing.T) {
	o := startOffice(t)
	for _, role := range []issuer.Role{issuer.RoleEarner, issuer.RoleReviewer} {
		b := signInElsewhere(t, o, role)
		for _, path := range []string{"/admin/achievements", "/admin/achievements/new", "/admin/issuer"} {
			if status, _ := b.get(path); status != http.StatusForbidden {
				t.Fatalf("%s: GET %s gave %d", role, path, status)
			}
		}
		if status, _ := b.post("/admin/achievements", achievementFormValues()); status != http.StatusForbidden {
			t.Fatalf("%s: creating gave %d", role, status)
		}
		if status, _ := b.post("/admin/issuer/jwt", nil); status != http.StatusForbidden {
			t.Fatalf("%s: enabling VC-JWT gave %d", role, status)
		}
	}
	if list, _ := o.office.Achievements(true); len(list) != 0 {
		t.Fatal("another role created an achievement")
	}
	if iss, _ := o.office.Issuer(issuer.DefaultIssuerID); iss.JWT {
		t.Fatal("another role enabled VC-JWT")
	}

	visitor := newBrowser(t, o.url)
	status, body := visitor.get("/admin/issuer")
	if status != http.StatusOK || lacks(body, `action="/signin"`, `value="/admin/issuer"`) != "" {
		t.Fatalf("signed out: status %d\n%s", status, body)
	}
}

func TestAdminIssuerProfile(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	iss, _ := o.office.Issuer(issuer.DefaultIssuerID)
	page := b.mustGet("/admin/issuer")
	if miss := lacks(page, iss.DID, "A did:key DID", `&#34;assertionMethod&#34;`,
		"Maple Valley School District"); miss != "" {
		t.Fatalf("settings lack %s\n%s", miss, page)
	}
	if strings.Contains(page, ".pem") {
		t.Fatal("the settings page shows where key files live")
	}

	form := url.Values{"issuer": {"default"}, "name": {"Maple Valley Schools"},
		"url": {"https://maple.example"}, "email": {"pd@maple.example"},
		"description": {"Professional learning office."}, "image": {"https://maple.example/logo.png"}}
	status, body := b.post("/admin/issuer/profile", form)
	if status != http.StatusOK || lacks(body, "The profile is saved.") != "" {
		t.Fatalf("status %d\n%s", status, body)
	}
	got, _ := o.office.Issuer(issuer.DefaultIssuerID)
	want := issuer.Profile{Name: "Maple Valley Schools", URL: "https://maple.example",
		Email: "pd@maple.example", Description: "Professional learning office.",
		Image: "https://maple.example/logo.png"}
	if got.Profile != want {
		t.Fatalf("profile: %+v", got.Profile)
	}

	form.Set("url", "maple.example")
	status, body = b.post("/admin/issuer/profile", form)
	if status != http.StatusBadRequest || lacks(body, "The issuer&#39;s web address must be an http(s) URL.",
		`value="maple.example"`, `value="Maple Valley Schools"`) != "" {
		t.Fatalf("bad profile: status %d\n%s", status, body)
	}
}

func TestAdminDIDKeyCannotRotate(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	b.mustGet("/admin/issuer")
	status, body := b.post("/admin/issuer/keys", url.Values{"issuer": {"default"}})
	if status != http.StatusConflict ||
		lacks(body, `id="key-error"`, "This issuer cannot change its key. Its DID is a did:key") != "" {
		t.Fatalf("status %d\n%s", status, body)
	}
	if iss, _ := o.office.Issuer(issuer.DefaultIssuerID); len(iss.Keys) != 1 {
		t.Fatalf("keys: %d", len(iss.Keys))
	}
}

func TestAdminDIDWebRotatesKey(t *testing.T) {
	o := startWebOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	page := b.mustGet("/admin/issuer")
	if miss := lacks(page, `href="/issuers/default/did.json"`,
		"https://badges.district.example/.well-known/did.json"); miss != "" {
		t.Fatalf("did:web settings lack %s:\n%s", miss, page)
	}
	before, _ := o.office.Issuer(issuer.DefaultIssuerID)

	status, body := b.post("/admin/issuer/keys", url.Values{"issuer": {"default"}})
	if status != http.StatusOK || lacks(body, "A new key signs from now on.") != "" {
		t.Fatalf("status %d\n%s", status, body)
	}
	after, _ := o.office.Issuer(issuer.DefaultIssuerID)
	if len(after.Keys) != 2 || after.Keys[0].Retired == nil || after.Keys[1].Retired != nil {
		t.Fatalf("keys: %+v", after.Keys)
	}
	if miss := lacks(body, "<code>"+before.Keys[0].VerificationMethod+"</code>",
		after.Keys[1].VerificationMethod+"-jwk"); miss != "" {
		t.Fatalf("page after rotation lacks %s:\n%s", miss, body)
	}
	if strings.Count(body, `pill plain">Retired`) != 1 || strings.Count(body, `pill good">Active`) != 1 {
		t.Fatalf("page after rotation marks the keys wrongly:\n%s", body)
	}
}

func TestAdminEnablesJWT(t *testing.T) {
	o := startWebOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	b.mustGet("/admin/issuer")
	status, body := b.post("/admin/issuer/jwt", url.Values{"issuer": {"default"}})
	if status != http.StatusOK || lacks(body, "VC-JWT is on", "signed RS256", "JWT key") != "" {
		t.Fatalf("status %d\n%s", status, body)
	}
	if iss, _ := o.office.Issuer(issuer.DefaultIssuerID); !iss.JWT || len(iss.Keys) != 2 {
		t.Fatalf("issuer: %+v", iss)
	}
	if strings.Contains(body, `action="/admin/issuer/jwt"`) {
		t.Fatal("the page still offers to enable VC-JWT")
	}
}

func TestAdminPicksIssuer(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleAdmin)
	did := webDID + ":issuers:north"
	admin := o.person(t, issuer.RoleAdmin)
	profile := issuer.Profile{Name: "North District"}
	if _, err := o.office.CreateIssuer(context.Background(), admin, "north", did, profile); err != nil {
		t.Fatal(err)
	}

	page := b.mustGet("/admin/issuer?issuer=north")
	if miss := lacks(page, `<option value="north" selected>`, did, `href="/issuers/north/did.json"`,
		`name="issuer" value="north"`); miss != "" {
		t.Fatalf("north's settings lack %s:\n%s", miss, page)
	}
	status, body := b.post("/admin/issuer/keys", url.Values{"issuer": {"north"}})
	if status != http.StatusOK || lacks(body, `<option value="north" selected>`) != "" {
		t.Fatalf("rotating north: status %d\n%s", status, body)
	}
	if status, _ := b.get("/admin/issuer?issuer=nobody"); status != http.StatusNotFound {
		t.Fatalf("unknown issuer: status %d", status)
	}
}
