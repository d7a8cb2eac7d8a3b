package issuer

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/laurel-badges/laurel/store"
)

// AchievementInput is what an administrator writes to define or edit an
// achievement.
type AchievementInput struct {
	// IssuerID names the issuer offering the achievement; empty means the
	// office's default issuer.
	IssuerID         string        `json:"issuerId,omitempty"`
	Name             string        `json:"name"`
	Description      string        `json:"description"`
	Criteria         Criteria      `json:"criteria"`
	AchievementType  string        `json:"achievementType,omitempty"`
	Tags             []string      `json:"tags,omitempty"`
	Alignments       []Alignment   `json:"alignments,omitempty"`
	CreditsAvailable float64       `json:"creditsAvailable"`
	Rubric           []RubricLevel `json:"rubric,omitempty"`
	RequiredEvidence []string      `json:"requiredEvidence,omitempty"`
	ValidDays        int           `json:"validDays,omitempty"`
}

// achievementTypes is the OB 3.0 AchievementType enumeration (§B.2.1);
// values starting "ext:" extend it.
var achievementTypes = []string{"Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment",
	"AssociateDegree", "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion",
	"Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma",
	"DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram",
	"License", "Membership", "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate",
	"MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma"}

// Validate checks the input against the rules a district's catalogue and
// OB 3.0 need, and names the first field that breaks one.
func (in *AchievementInput) Validate() error {
	checks := []struct {
		bad bool
		msg string
	}{
		{blank(in.Name) || len(in.Name) > 200, "name is required (at most 200 characters)"},
		{blank(in.Description) || len(in.Description) > 5000, "description is required (at most 5000 characters)"},
		{blank(in.Criteria.Narrative) || len(in.Criteria.Narrative) > 20000, "criteria.narrative is required"},
		{in.Criteria.URL != "" && !httpURL(in.Criteria.URL), "criteria.url must be an http(s) URL"},
		{in.AchievementType != "" && !validAchievementType(in.AchievementType),
			"achievementType is not an OB 3.0 type (or ext:...)"},
		{in.CreditsAvailable < 0 || in.CreditsAvailable > 1000, "creditsAvailable must be between 0 and 1000 hours"},
		{len(in.Tags) > 20, "at most 20 tags"},
		{in.ValidDays < 0, "validDays cannot be negative"},
	}
	for _, c := range checks {
		if c.bad {
			return fmt.Errorf("%w: %s", ErrInvalid, c.msg)
		}
	}
	return in.validateLists()
}

func (in *AchievementInput) validateLists() error {
	for _, a := range in.Alignments {
		if blank(a.TargetName) || !httpURL(a.TargetURL) {
			return fmt.Errorf("%w: each alignment needs a targetName and an http(s) targetUrl", ErrInvalid)
		}
	}

	seen := map[string]bool{}
	for _, l := range in.Rubric {
		if !validLevelID(l.ID) || blank(l.Name) || seen[l.ID] {
			return fmt.Errorf("%w: rubric levels need a name and a unique id of letters, digits, "+
				"'-', '.' or '_'", ErrInvalid)
		}
		seen[l.ID] = true
	}

	for _, e := range in.RequiredEvidence {
		if e != EvidenceNarrative && e != EvidenceLink && e != EvidenceFile {
			return fmt.Errorf("%w: requiredEvidence entries are narrative, link or file", ErrInvalid)
		}
	}
	return nil
}

func validAchievementType(t string) bool {
	return slices.Contains(achievementTypes, t) || (strings.HasPrefix(t, "ext:") && len(t) > 4)
}

// validLevelID keeps rubric level ids to characters an IRI fragment takes
// as they are: an id ends the level's URL in a credential
// (achievement#level-ID), and an IRI with a space cannot be signed.
func validLevelID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._", r)) {
			return false
		}
	}
	return true
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2048
}

// CreateAchievement adds an achievement to the default issuer's catalogue.
func (s *Service) CreateAchievement(ctx context.Context, actor *User, in AchievementInput) (*Achievement, error) {
	if err := s.require(actor, "achievement.create", RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}

	issuerID := in.IssuerID
	if issuerID == "" {
		issuerID = DefaultIssuerID
	}
	if _, err := s.Issuer(issuerID); err != nil {
		return nil, fmt.Errorf("%w: issuer %s: %w", ErrInvalid, issuerID, err)
	}

	now := s.now().UTC()
	a := &Achievement{ID: "ach_" + randomID(8), IssuerID: issuerID, Created: now, Updated: now}
	a.apply(in)
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.Achievements, a.ID, a); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "achievement.create", a.ID, a.Name)
	})
	if err != nil {
		return nil, fmt.Errorf("storing achievement: %w", err)
	}
	s.log.InfoContext(ctx, "achievement created", "achievement_id", a.ID, "actor", actor.ID)
	return a, nil
}

func (a *Achievement) apply(in AchievementInput) {
	a.Name, a.Description, a.Criteria = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description), in.Criteria
	a.AchievementType, a.Tags, a.Alignments = in.AchievementType, in.Tags, in.Alignments
	a.CreditsAvailable, a.Rubric = in.CreditsAvailable, in.Rubric
	a.RequiredEvidence, a.ValidDays = in.RequiredEvidence, in.ValidDays
}

// UpdateAchievement replaces an achievement's definition. Credentials
// already issued keep the definition they were signed with.
func (s *Service) UpdateAchievement(ctx context.Context, actor *User, id string,
	in AchievementInput) (*Achievement, error) {
	if err := s.require(actor, "achievement.update", RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.changeAchievement(actor, id, "achievement.update", func(a *Achievement) { a.apply(in) })
}

// ArchiveAchievement withdraws an achievement from the catalogue; nothing
// more can be submitted for it, and what was issued stays valid.
func (s *Service) ArchiveAchievement(ctx context.Context, actor *User, id string) (*Achievement, error) {
	if err := s.require(actor, "achievement.archive", RoleAdmin); err != nil {
		return nil, err
	}
	return s.changeAchievement(actor, id, "achievement.archive", func(a *Achievement) { a.Archived = true })
}

func (s *Service) changeAchievement(actor *User, id, action string, change func(*Achievement)) (*Achievement, error) {
	var a Achievement
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Achievements, id, &a); err != nil {
			return notFound(err)
		}
		change(&a)
		a.Updated = s.now().UTC()
		if err := tx.Put(store.Achievements, id, &a); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, action, id, "")
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// Achievement returns one achievement.
func (s *Service) Achievement(id string) (*Achievement, error) {
	var a Achievement
	if err := s.db.View(func(tx *store.Tx) error { return tx.Get(store.Achievements, id, &a) }); err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

// Achievements lists the catalogue, archived entries only when asked.
func (s *Service) Achievements(withArchived bool) ([]Achievement, error) {
	var out []Achievement
	err := s.db.View(func(tx *store.Tx) error {
		return tx.Scan(store.Achievements, "", func(_ string, raw []byte) (bool, error) {
			var a Achievement
			if err := decode(raw, &a); err != nil {
				return false, err
			}
			if withArchived || !a.Archived {
				out = append(out, a)
			}
			return true, nil
		})
	})
	return out, err
}

// Image limits: badge images are small, and an SVG is a document a browser
// will render, so it must not carry scripts.
const maxImageBytes = 512 << 10

// storedFile is an uploaded file: a badge image or a piece of evidence.
type storedFile struct {
	ContentType string `json:"contentType"`
	Name        string `json:"name,omitempty"`
	Data        []byte `json:"data"`
}

// SetAchievementImage stores a PNG or SVG as the achievement's image.
func (s *Service) SetAchievementImage(ctx context.Context, actor *User, id, contentType string, data []byte) error {
	if err := s.require(actor, "achievement.image", RoleAdmin); err != nil {
		return err
	}
	if err := checkImage(contentType, data); err != nil {
		return err
	}

	fileID := "img_" + randomID(8)
	return s.db.Update(func(tx *store.Tx) error {
		var a Achievement
		if err := tx.Get(store.Achievements, id, &a); err != nil {
			return notFound(err)
		}
		if err := tx.Put(store.Files, fileID, storedFile{ContentType: contentType, Data: data}); err != nil {
			return err
		}
		if a.Image != "" {
			if err := tx.Delete(store.Files, a.Image); err != nil {
				return err
			}
		}
		a.Image, a.Updated = fileID, s.now().UTC()
		if err := tx.Put(store.Achievements, id, &a); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "achievement.image", id, contentType)
	})
}

// AchievementImage returns an achievement's image and its content type.
func (s *Service) AchievementImage(id string) (string, []byte, error) {
	a, err := s.Achievement(id)
	if err != nil {
		return "", nil, err
	}
	if a.Image == "" {
		return "", nil, fmt.Errorf("achievement %s has no image: %w", id, ErrNotFound)
	}
	f, err := s.file(a.Image)
	if err != nil {
		return "", nil, err
	}
	return f.ContentType, f.Data, nil
}

func (s *Service) file(id string) (*storedFile, error) {
	var f storedFile
	if err := s.db.View(func(tx *store.Tx) error { return tx.Get(store.Files, id, &f) }); err != nil {
		return nil, notFound(err)
	}
	return &f, nil
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

func checkImage(contentType string, data []byte) error {
	if len(data) == 0 || len(data) > maxImageBytes {
		return fmt.Errorf("%w: an image must be between 1 byte and %d KiB", ErrInvalid, maxImageBytes>>10)
	}
	switch contentType {
	case "image/png":
		if !bytes.HasPrefix(data, pngMagic) {
			return fmt.Errorf("%w: the file is not a PNG image", ErrInvalid)
		}
		return nil
	case "image/svg+xml":
		return checkSVG(data)
	}
	return fmt.Errorf("%w: images must be PNG or SVG", ErrInvalid)
}

// checkSVG requires well-formed XML with an svg root and refuses the parts
// of SVG that run code or pull in other documents.
func checkSVG(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF && !root {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: the file is not a well-formed SVG image", ErrInvalid)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root && el.Name.Local != "svg" {
			return fmt.Errorf("%w: the file is not an SVG image", ErrInvalid)
		}
		root = false
		if unsafeSVG(el) {
			return fmt.Errorf("%w: SVG images may not contain scripts, event handlers or foreign objects", ErrInvalid)
		}
	}
}

func unsafeSVG(el xml.StartElement) bool {
	name := strings.ToLower(el.Name.Local)
	if name == "script" || name == "foreignobject" || name == "iframe" {
		return true
	}
	for _, a := range el.Attr {
		attr := strings.ToLower(a.Name.Local)
		if strings.HasPrefix(attr, "on") || strings.Contains(strings.ToLower(a.Value), "javascript:") {
			return true
		}
	}
	return false
}
