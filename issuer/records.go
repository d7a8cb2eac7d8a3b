package issuer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/store"
)

// CredentialSummary is an issued credential as lists and reports show it:
// who earned what, when, for how many hours, and where it stands.
type CredentialSummary struct {
	ID              string     `json:"id"`
	IssuerID        string     `json:"issuerId"`
	AchievementID   string     `json:"achievementId"`
	AchievementName string     `json:"achievementName"`
	EarnerID        string     `json:"earnerId"`
	EarnerName      string     `json:"earnerName"`
	EarnerEmail     string     `json:"earnerEmail,omitempty"`
	Credits         float64    `json:"credits"`
	IssuedAt        time.Time  `json:"issuedAt"`
	ValidUntil      *time.Time `json:"validUntil,omitempty"`
	Standing        Standing   `json:"status"`
}

// Expired reports whether the credential's validity ended before now.
func (c CredentialSummary) Expired(now time.Time) bool {
	return c.ValidUntil != nil && now.After(*c.ValidUntil)
}

// Counts reports whether the credential's hours count towards a report:
// it was not revoked or suspended. An expired credential still counts for
// the year it was earned in.
func (c CredentialSummary) Counts() bool {
	return c.Standing == StandingActive || c.Standing == ""
}

// CredentialQuery selects issued credentials. Zero fields select all.
type CredentialQuery struct {
	// Text matches, ignoring case, the earner's name or email, the
	// achievement's name, or the credential's id.
	Text          string
	AchievementID string
	EarnerID      string
	Standing      Standing
	// From and To bound the issue time: From <= issued < To.
	From, To time.Time
	// Limit bounds the answer; zero means 500.
	Limit int
}

// FindCredentials lists issued credentials, newest first, for the
// administrators' pages.
func (s *Service) FindCredentials(actor *User, q CredentialQuery) ([]CredentialSummary, error) {
	if err := s.require(actor, "credential.list", RoleAdmin); err != nil {
		return nil, err
	}
	if q.Limit <= 0 {
		q.Limit = 500
	}
	q.Text = strings.ToLower(strings.TrimSpace(q.Text))

	var out []CredentialSummary
	err := s.db.View(func(tx *store.Tx) error {
		names := newNameCache(tx)
		return tx.Scan(store.Credentials, "", func(_ string, raw []byte) (bool, error) {
			sum, err := summarize(raw, names)
			if err != nil {
				return false, err
			}
			if q.matches(sum) {
				out = append(out, *sum)
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing credentials: %w", err)
	}

	newestFirst(out)
	return out[:min(len(out), q.Limit)], nil
}

func (q CredentialQuery) matches(c *CredentialSummary) bool {
	switch {
	case q.AchievementID != "" && c.AchievementID != q.AchievementID,
		q.EarnerID != "" && c.EarnerID != q.EarnerID,
		q.Standing != "" && c.Standing != q.Standing,
		!q.From.IsZero() && c.IssuedAt.Before(q.From),
		!q.To.IsZero() && !c.IssuedAt.Before(q.To):
		return false
	}
	if q.Text == "" {
		return true
	}
	for _, f := range []string{c.EarnerName, c.EarnerEmail, c.AchievementName, c.ID} {
		if strings.Contains(strings.ToLower(f), q.Text) {
			return true
		}
	}
	return false
}

// HeldCredentials lists the credentials actor earned, newest first.
func (s *Service) HeldCredentials(actor *User) ([]CredentialSummary, error) {
	if actor == nil {
		return nil, ErrUnauthorized
	}
	var out []CredentialSummary
	err := s.db.View(func(tx *store.Tx) error {
		names := newNameCache(tx)
		return tx.Scan(store.Index, "holder/"+actor.ID+"/", func(_ string, id []byte) (bool, error) {
			raw, err := tx.GetRaw(store.Credentials, string(id))
			if err != nil {
				return false, err
			}
			sum, err := summarize(raw, names)
			if err != nil {
				return false, err
			}
			out = append(out, *sum)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing credentials of %s: %w", actor.ID, err)
	}
	newestFirst(out)
	return out, nil
}

// Summary returns one credential's summary, for its public page.
func (s *Service) Summary(id string) (*CredentialSummary, error) {
	var sum *CredentialSummary
	err := s.db.View(func(tx *store.Tx) error {
		raw, err := tx.GetRaw(store.Credentials, credentialKey(id))
		if err != nil {
			return notFound(err)
		}
		sum, err = summarize(raw, newNameCache(tx))
		return err
	})
	return sum, err
}

func newestFirst(list []CredentialSummary) {
	slices.SortStableFunc(list, func(a, b CredentialSummary) int { return b.IssuedAt.Compare(a.IssuedAt) })
}

// summarize reads a stored credential record into its summary.
func summarize(raw []byte, names *nameCache) (*CredentialSummary, error) {
	var rec struct {
		Credential
		Document struct {
			ValidUntil string `json:"validUntil"`
		} `json:"document"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("decoding credential record: %w", err)
	}

	c := rec.Credential
	earner := names.user(c.EarnerID)
	sum := &CredentialSummary{ID: c.ID, IssuerID: c.IssuerID, AchievementID: c.AchievementID,
		AchievementName: names.achievement(c.AchievementID), EarnerID: c.EarnerID,
		EarnerName: earner.Name, EarnerEmail: earner.Email, Credits: c.Credits,
		IssuedAt: c.IssuedAt, Standing: c.Standing}
	if t, err := time.Parse(time.RFC3339, rec.Document.ValidUntil); err == nil {
		sum.ValidUntil = &t
	}
	return sum, nil
}

// nameCache reads each user and achievement once per listing.
type nameCache struct {
	tx           *store.Tx
	users        map[string]User
	achievements map[string]string
}

func newNameCache(tx *store.Tx) *nameCache {
	return &nameCache{tx: tx, users: map[string]User{}, achievements: map[string]string{}}
}

func (n *nameCache) user(id string) User {
	u, ok := n.users[id]
	if !ok {
		_ = n.tx.Get(store.Users, id, &u)
		n.users[id] = u
	}
	return u
}

func (n *nameCache) achievement(id string) string {
	name, ok := n.achievements[id]
	if !ok {
		var a Achievement
		_ = n.tx.Get(store.Achievements, id, &a)
		name = a.Name
		n.achievements[id] = name
	}
	return name
}

// CreditLine is one person's professional-learning credit in a report.
type CreditLine struct {
	EarnerID    string              `json:"earnerId"`
	Name        string              `json:"name"`
	Email       string              `json:"email,omitempty"`
	Hours       float64             `json:"hours"`
	Credentials []CredentialSummary `json:"credentials"`
}

// CreditReport adds up the credit hours each person earned from credentials
// issued in [from, to), the evidence a state asks for. Revoked and
// suspended credentials do not count.
func (s *Service) CreditReport(actor *User, from, to time.Time) ([]CreditLine, error) {
	creds, err := s.FindCredentials(actor, CredentialQuery{From: from, To: to, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}

	byEarner := map[string]*CreditLine{}
	for _, c := range creds {
		if !c.Counts() {
			continue
		}
		line := byEarner[c.EarnerID]
		if line == nil {
			line = &CreditLine{EarnerID: c.EarnerID, Name: c.EarnerName, Email: c.EarnerEmail}
			byEarner[c.EarnerID] = line
		}
		line.Hours += c.Credits
		line.Credentials = append(line.Credentials, c)
	}

	out := make([]CreditLine, 0, len(byEarner))
	for _, line := range byEarner {
		out = append(out, *line)
	}
	slices.SortFunc(out, func(a, b CreditLine) int {
		return cmp.Or(strings.Compare(lower(a.Name), lower(b.Name)), strings.Compare(a.EarnerID, b.EarnerID))
	})
	return out, nil
}

// YearCredits is the credit hours earned in one school year.
type YearCredits struct {
	// Year names the school year, e.g. "2026–27".
	Year  string  `json:"year"`
	Hours float64 `json:"hours"`
}

// SchoolYear names the school year t falls in. Years start on 1 July, as
// most US states count professional-learning hours.
func SchoolYear(t time.Time) string {
	from, _ := SchoolYearSpan(t)
	return fmt.Sprintf("%d–%02d", from.Year(), (from.Year()+1)%100)
}

// CreditsByYear adds up the hours of the credentials that count, per
// school year, newest year first.
func CreditsByYear(creds []CredentialSummary) []YearCredits {
	hours := map[string]float64{}
	for _, c := range creds {
		if c.Counts() {
			hours[SchoolYear(c.IssuedAt)] += c.Credits
		}
	}
	out := make([]YearCredits, 0, len(hours))
	for y, h := range hours {
		out = append(out, YearCredits{Year: y, Hours: h})
	}
	slices.SortFunc(out, func(a, b YearCredits) int { return strings.Compare(b.Year, a.Year) })
	return out
}
