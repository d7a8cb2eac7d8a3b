package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/laurel-badges/laurel/issuer"
)

// achievementForm is the editor's form as the administrator typed it, so
// a refused form comes back exactly as sent.
type achievementForm struct {
	Name, Description, Narrative, CriteriaURL string
	Type, Tags, Credits, ValidDays            string
	Evidence                                  []string
	Alignments                                []issuer.Alignment
	Rubric                                    []issuer.RubricLevel
}

// blankRows is how many empty alignment and rubric rows the editor offers
// after the filled ones: room to add a few without any script.
const blankRows = 2

// achievementPage is what the editor shows.
type achievementPage struct {
	// Achievement is the stored achievement being edited; nil for a new one.
	Achievement *issuer.Achievement
	Form        achievementForm
	// Error says why the form was refused, ImageError why an image was.
	Error, ImageError string
	IssuerName        string
	Types             []string
	Evidence          []evidenceChoice
	// Alignments and Rubric are the form's rows and the blank ones.
	Alignments []alignmentRow
	Rubric     []levelRow
}

// alignmentRow and levelRow are rows of the editor, numbered from 1 for
// their legends and the ids their labels point at.
type (
	alignmentRow struct {
		N int
		issuer.Alignment
	}
	levelRow struct {
		N int
		issuer.RubricLevel
	}
)

// evidenceChoice is one checkbox of the required evidence.
type evidenceChoice struct {
	Value, Label string
	Checked      bool
}

var evidenceKinds = []evidenceChoice{
	{Value: issuer.EvidenceNarrative, Label: "A written narrative"},
	{Value: issuer.EvidenceLink, Label: "A link to work online"},
	{Value: issuer.EvidenceFile, Label: "An uploaded file"},
}

// achievementEditor renders the editor: page's form and messages, with
// the choices and blank rows the form offers.
func (s *Server) achievementEditor(w http.ResponseWriter, r *http.Request, v *visit, status int,
	page achievementPage) {
	issuerID, title := issuer.DefaultIssuerID, "New achievement"
	if a := page.Achievement; a != nil {
		issuerID, title = a.IssuerID, "Edit "+a.Name
	}
	if iss, err := s.office.Issuer(issuerID); err == nil {
		page.IssuerName = iss.Profile.Name
	}

	page.addChoices()
	page.addRows()
	s.render(w, r, v, status, "admin_achievement", title, page)
}

// addChoices lists the types and evidence kinds the form offers, marking
// the form's. An extension type ("ext:...") set through the API is kept
// as a choice, so saving the form does not drop it.
func (page *achievementPage) addChoices() {
	page.Types = issuer.AchievementTypes()
	if t := page.Form.Type; t != "" && !slices.Contains(page.Types, t) {
		page.Types = append([]string{t}, page.Types...)
	}

	for _, k := range evidenceKinds {
		k.Checked = slices.Contains(page.Form.Evidence, k.Value)
		page.Evidence = append(page.Evidence, k)
	}
}

// addRows numbers the form's alignment and rubric rows and adds the
// blank ones.
func (page *achievementPage) addRows() {
	alignments := append(slices.Clone(page.Form.Alignments), make([]issuer.Alignment, blankRows)...)
	for i, a := range alignments {
		page.Alignments = append(page.Alignments, alignmentRow{N: i + 1, Alignment: a})
	}

	levels := append(slices.Clone(page.Form.Rubric), make([]issuer.RubricLevel, blankRows)...)
	for i, l := range levels {
		page.Rubric = append(page.Rubric, levelRow{N: i + 1, RubricLevel: l})
	}
}

// formOf fills the editor's form from a stored achievement.
func formOf(a *issuer.Achievement) achievementForm {
	f := achievementForm{
		Name: a.Name, Description: a.Description,
		Narrative: a.Criteria.Narrative, CriteriaURL: a.Criteria.URL,
		Type: a.AchievementType, Tags: strings.Join(a.Tags, ", "),
		Credits:  strconv.FormatFloat(a.CreditsAvailable, 'f', -1, 64),
		Evidence: a.RequiredEvidence, Alignments: a.Alignments, Rubric: a.Rubric,
	}
	if a.ValidDays > 0 {
		f.ValidDays = strconv.Itoa(a.ValidDays)
	}
	return f
}

// formFrom reads the posted editor form. Alignment and rubric rows left
// wholly empty are the editor's spare rows, not entries.
func formFrom(r *http.Request) achievementForm {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return achievementForm{
		Name: field("name"), Description: field("description"), Narrative: field("narrative"),
		CriteriaURL: field("criteria_url"), Type: field("type"), Tags: field("tags"),
		Credits: field("credits"), ValidDays: field("valid_days"), Evidence: r.PostForm["evidence"],
		Alignments: alignmentsFrom(r), Rubric: rubricFrom(r),
	}
}

// alignmentsFrom reads the editor's alignment rows.
func alignmentsFrom(r *http.Request) []issuer.Alignment {
	var out []issuer.Alignment
	for _, row := range formRows(r, "align_name", "align_url", "align_framework", "align_code") {
		out = append(out, issuer.Alignment{TargetName: row[0], TargetURL: row[1],
			TargetFramework: row[2], TargetCode: row[3]})
	}
	return out
}

// rubricFrom reads the editor's rubric rows.
func rubricFrom(r *http.Request) []issuer.RubricLevel {
	var out []issuer.RubricLevel
	for _, row := range formRows(r, "level_id", "level_name", "level_description") {
		out = append(out, issuer.RubricLevel{ID: row[0], Name: row[1], Description: row[2]})
	}
	return out
}

// formRows reads fields repeated once per row: row i holds the i-th value
// of each name. Rows with every value empty are left out.
func formRows(r *http.Request, names ...string) [][]string {
	n := 0
	for _, name := range names {
		n = max(n, len(r.PostForm[name]))
	}

	var rows [][]string
	for i := range n {
		row, filled := make([]string, len(names)), false
		for j, name := range names {
			if values := r.PostForm[name]; i < len(values) {
				row[j] = strings.TrimSpace(values[i])
				filled = filled || row[j] != ""
			}
		}
		if filled {
			rows = append(rows, row)
		}
	}
	return rows
}

// input turns the form into what the issuer package takes. It refuses
// what the form's text cannot mean (hours that are no number, a level id
// no URL fragment can hold); the issuer package judges the rest.
func (f achievementForm) input() (issuer.AchievementInput, error) {
	credits, err := parseHours(f.Credits)
	if err != nil {
		return issuer.AchievementInput{}, err
	}
	days, err := parseDays(f.ValidDays)
	if err != nil {
		return issuer.AchievementInput{}, err
	}
	rubric, err := rubricWithIDs(f.Rubric)
	if err != nil {
		return issuer.AchievementInput{}, err
	}

	return issuer.AchievementInput{
		Name: f.Name, Description: f.Description,
		Criteria:        issuer.Criteria{Narrative: f.Narrative, URL: f.CriteriaURL},
		AchievementType: f.Type, Tags: splitTags(f.Tags), Alignments: f.Alignments,
		CreditsAvailable: credits, Rubric: rubric, RequiredEvidence: f.Evidence, ValidDays: days,
	}, nil
}

// parseHours reads credit hours; empty means none. NaN and infinity parse
// as floats and pass a range check, so they are refused here.
func parseHours(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	h, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(h) || math.IsInf(h, 0) {
		return 0, fmt.Errorf("%w: credit hours must be a number, such as 1.5", issuer.ErrInvalid)
	}
	return h, nil
}

// parseDays reads the validity in days; empty means badges never expire.
func parseDays(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	d, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%w: the validity must be a whole number of days, or empty",
			issuer.ErrInvalid)
	}
	return d, nil
}

// splitTags reads comma-separated tags, dropping empty and repeated ones.
func splitTags(s string) []string {
	var tags []string
	for tag := range strings.SplitSeq(s, ",") {
		tag = strings.TrimSpace(tag)
		same := func(t string) bool { return strings.EqualFold(t, tag) }
		if tag != "" && !slices.ContainsFunc(tags, same) {
			tags = append(tags, tag)
		}
	}
	return tags
}

// rubricWithIDs gives a level typed without an id one made from its name.
// A level's id ends the URL that names it in credentials
// (.../achievements/ID#level-LEVEL), so it must be a plain fragment.
func rubricWithIDs(levels []issuer.RubricLevel) ([]issuer.RubricLevel, error) {
	for _, l := range levels {
		if l.ID != "" && !fragmentSafe(l.ID) {
			return nil, fmt.Errorf("%w: a rubric level id may hold only letters, digits, "+
				"dashes, dots and underscores", issuer.ErrInvalid)
		}
	}

	out := slices.Clone(levels)
	for i := range out {
		if out[i].ID != "" || out[i].Name == "" {
			continue
		}
		id := slug(out[i].Name, 40)
		taken := func(l issuer.RubricLevel) bool { return l.ID == id }
		if id == "" || slices.ContainsFunc(out, taken) {
			id = fmt.Sprintf("level-%d", i+1)
		}
		out[i].ID = id
	}
	return out, nil
}

// fragmentSafe reports whether id is ASCII letters, digits, dashes, dots
// and underscores: safe in a URL fragment as it is.
func fragmentSafe(id string) bool {
	unsafe := func(r rune) bool {
		plain := unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-._", r)
		return r > unicode.MaxASCII || !plain
	}
	return len(id) <= 64 && strings.IndexFunc(id, unsafe) < 0
}
