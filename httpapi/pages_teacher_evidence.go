package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/laurel-badges/laurel/issuer"
)

// evidenceSlots is how many links and how many new files one form takes.
const evidenceSlots = 3

// maxEvidenceFile is the largest evidence file the office stores.
const maxEvidenceFile = 5 << 20

// evidenceTypes are the kinds of file the office accepts as evidence,
// by the type their first bytes show (never the type the browser claims).
var evidenceTypes = []string{"application/pdf", "image/png", "image/jpeg", "text/plain"}

// evidenceForm is the evidence fields of a submit or resubmit form, as
// posted, so that a form refused for a mistake comes back as it was.
type evidenceForm struct {
	Action          string
	Narrative       string
	NarrativePublic bool
	Links           []linkField
	Files           []fileField
	// Kept are the files of a returned submission, which a resubmission
	// may keep instead of uploading them again.
	Kept []keptFile
	// Required names the kinds of evidence the achievement requires.
	Required []string
	Error    string
}

type linkField struct {
	N         int
	Name, URL string
	Public    bool
}

type fileField struct {
	N      int
	Public bool
}

type keptFile struct {
	ID, Name     string
	Keep, Public bool
}

// newEvidenceForm is an empty form posting to action.
func newEvidenceForm(action string) *evidenceForm {
	f := &evidenceForm{Action: action}
	for n := 1; n <= evidenceSlots; n++ {
		f.Links = append(f.Links, linkField{N: n})
		f.Files = append(f.Files, fileField{N: n})
	}
	return f
}

// prefilledForm is a resubmit form holding a submission's evidence: its
// narrative, its links and its files (kept unless unticked).
func prefilledForm(action string, evidence []issuer.Evidence) *evidenceForm {
	f := newEvidenceForm(action)
	links := 0
	for _, e := range evidence {
		switch {
		case e.File != "":
			f.Kept = append(f.Kept, keptFile{ID: e.File, Name: firstNonEmpty(e.Name, e.File),
				Keep: true, Public: e.Public})
		case e.URL != "" && links < evidenceSlots:
			f.Links[links] = linkField{N: links + 1, Name: e.Name, URL: e.URL, Public: e.Public}
			links++
		case e.Narrative != "" && f.Narrative == "":
			f.Narrative, f.NarrativePublic = e.Narrative, e.Public
		}
	}
	return f
}

// readEvidenceForm reads the posted evidence fields. kept are the files a
// resubmission may keep; any other file id posted is ignored.
func readEvidenceForm(r *http.Request, action string, kept []issuer.Evidence) *evidenceForm {
	f := newEvidenceForm(action)
	f.Narrative = r.PostFormValue("narrative")
	f.NarrativePublic = r.PostFormValue("narrative_public") != ""

	for i := range f.Links {
		n := strconv.Itoa(i + 1)
		f.Links[i].Name = strings.TrimSpace(r.PostFormValue("link_name_" + n))
		f.Links[i].URL = strings.TrimSpace(r.PostFormValue("link_url_" + n))
		f.Links[i].Public = r.PostFormValue("link_public_"+n) != ""
		f.Files[i].Public = r.PostFormValue("file_public_"+n) != ""
	}

	keep := r.PostForm["keep"]
	for _, e := range kept {
		if e.File != "" {
			public := r.PostFormValue("keep_public_"+e.File) != ""
			f.Kept = append(f.Kept, keptFile{ID: e.File, Name: firstNonEmpty(e.Name, e.File),
				Keep: slices.Contains(keep, e.File), Public: public})
		}
	}
	return f
}

// formProblem is a mistake in a posted form, told to the teacher in
// plain words beside the form.
type formProblem string

// Error is the message for the teacher.
func (p formProblem) Error() string { return string(p) }

// blankText reports whether s holds nothing but spaces, as the office
// counts an empty narrative.
func blankText(s string) bool { return strings.TrimSpace(s) == "" }

// problemText is what to tell the teacher about err beside the form, or
// "" when err is not their mistake.
func problemText(err error) string {
	if p, ok := errors.AsType[formProblem](err); ok {
		return string(p)
	}
	if errors.Is(err, issuer.ErrInvalid) {
		text := strings.TrimPrefix(err.Error(), issuer.ErrInvalid.Error()+": ")
		return strings.ToUpper(text[:1]) + text[1:] + "."
	}
	return ""
}

// pendingFile is an evidence file read from the form, not yet stored.
type pendingFile struct {
	name, contentType string
	data              []byte
	public            bool
}

// collectEvidence turns the form into evidence for a. Everything that
// can be checked is checked before any file is stored, so a refused form
// leaves nothing behind; only then are the new files uploaded.
func (s *Server) collectEvidence(r *http.Request, u *issuer.User, a *issuer.Achievement,
	f *evidenceForm) ([]issuer.Evidence, error) {
	evidence, err := f.written()
	if err != nil {
		return nil, err
	}
	files, err := f.readFiles(r)
	if err != nil {
		return nil, err
	}
	for _, k := range f.Kept {
		if k.Keep {
			evidence = append(evidence, issuer.Evidence{Name: k.Name, File: k.ID, Public: k.Public})
		}
	}
	if err := checkRequired(a, evidence, len(files) > 0); err != nil {
		return nil, err
	}

	for _, p := range files {
		id, err := s.office.UploadEvidence(r.Context(), u, p.name, p.contentType, p.data)
		if err != nil {
			return nil, fmt.Errorf("uploading %s: %w", p.name, err)
		}
		evidence = append(evidence, issuer.Evidence{Name: p.name, File: id, Public: p.public})
	}
	return evidence, nil
}

// written is the narrative and the links of the form, each link checked.
func (f *evidenceForm) written() ([]issuer.Evidence, error) {
	var evidence []issuer.Evidence
	if !blankText(f.Narrative) {
		evidence = append(evidence, issuer.Evidence{Narrative: f.Narrative, Public: f.NarrativePublic})
	}

	for _, l := range f.Links {
		if l.URL == "" {
			if l.Name != "" {
				return nil, formProblem(fmt.Sprintf("Link %d has a name but no address.", l.N))
			}
			continue
		}
		if !webAddress(l.URL) {
			return nil, formProblem(fmt.Sprintf("Link %d is not a web address: it must start with "+
				"https:// (or http://) and name a site.", l.N))
		}
		evidence = append(evidence, issuer.Evidence{Name: l.Name, URL: l.URL, Public: l.Public})
	}
	return evidence, nil
}

// webAddress reports whether s is a link the office accepts as evidence:
// an http(s) URL naming a host (never javascript: or data:).
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		len(s) <= 2048
}

// readFiles reads the chosen files, refusing one too large or of a type
// the office does not keep.
func (f *evidenceForm) readFiles(r *http.Request) ([]pendingFile, error) {
	var files []pendingFile
	for i := range f.Files {
		head := formFile(r, "file_"+strconv.Itoa(i+1))
		if head == nil {
			continue
		}
		p, err := readEvidenceFile(head)
		if err != nil {
			return nil, err
		}
		p.public = f.Files[i].Public
		files = append(files, p)
	}
	return files, nil
}

// formFile is the file posted in field, or nil when none was chosen.
func formFile(r *http.Request, field string) *multipart.FileHeader {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil
	}
	head := r.MultipartForm.File[field][0]
	if head.Filename == "" && head.Size == 0 {
		return nil
	}
	return head
}

// readEvidenceFile reads one posted file and names its type by its
// content, so an HTML page posted as text/plain is refused.
func readEvidenceFile(head *multipart.FileHeader) (pendingFile, error) {
	name := strings.TrimSpace(head.Filename)
	if head.Size == 0 || head.Size > maxEvidenceFile {
		return pendingFile{}, formProblem(fmt.Sprintf(
			"The file %q is empty or larger than 5 MiB.", name))
	}
	file, err := head.Open()
	if err != nil {
		return pendingFile{}, fmt.Errorf("opening uploaded file: %w", err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxEvidenceFile+1))
	if err != nil {
		return pendingFile{}, fmt.Errorf("reading uploaded file: %w", err)
	}

	ct, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if !slices.Contains(evidenceTypes, ct) {
		return pendingFile{}, formProblem(fmt.Sprintf(
			"The file %q is not a PDF, PNG, JPEG or plain text file.", name))
	}
	return pendingFile{name: firstNonEmpty(name, "evidence"), contentType: ct, data: data}, nil
}

// checkRequired refuses evidence that lacks a kind the achievement
// requires, naming what is missing; the office checks it again.
func checkRequired(a *issuer.Achievement, evidence []issuer.Evidence, newFiles bool) error {
	has := map[string]bool{issuer.EvidenceFile: newFiles}
	for _, e := range evidence {
		has[issuer.EvidenceNarrative] = has[issuer.EvidenceNarrative] || !blankText(e.Narrative)
		has[issuer.EvidenceLink] = has[issuer.EvidenceLink] || e.URL != ""
		has[issuer.EvidenceFile] = has[issuer.EvidenceFile] || e.File != ""
	}

	var missing []string
	for _, kind := range a.RequiredEvidence {
		if !has[kind] {
			missing = append(missing, kind)
		}
	}
	switch {
	case len(missing) > 0:
		words := strings.Join(evidenceWords(missing), " and ")
		return formProblem("This achievement requires " + words + ". Add it and submit again.")
	case len(evidence) == 0 && !newFiles:
		return formProblem("Add some evidence: a narrative, a link or a file.")
	}
	return nil
}
