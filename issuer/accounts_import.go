package issuer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ImportResult is what a roster import did.
type ImportResult struct {
	// Invited holds a one-time invitation for each person invited.
	Invited []Invitation
	// Skipped lists the emails of people who already sign in.
	Skipped []string
}

// maxImportRows bounds one roster import: a large district's staff.
const maxImportRows = 5000

// ImportPeople invites everyone a CSV roster lists. The roster has a
// header row naming the columns name, email and, optionally, role (admin,
// reviewer or earner; earner when blank). Every row is checked before
// anyone is invited, so a roster with a mistake changes nothing; people
// who already sign in are skipped, not invited again.
func (s *Service) ImportPeople(ctx context.Context, actor *User, roster io.Reader) (*ImportResult, error) {
	if err := s.require(actor, "user.import", RoleAdmin); err != nil {
		return nil, err
	}
	people, err := readRoster(roster)
	if err != nil {
		return nil, err
	}

	res := &ImportResult{}
	for _, p := range people {
		inv, err := s.Invite(ctx, actor, p.Name, p.Email, p.Role)
		switch {
		case errors.Is(err, ErrConflict):
			res.Skipped = append(res.Skipped, p.Email)
		case err != nil:
			return res, err
		default:
			res.Invited = append(res.Invited, *inv)
		}
	}
	return res, nil
}

// readRoster parses and checks a roster; the error names the first bad
// line.
func readRoster(roster io.Reader) ([]User, error) {
	r := csv.NewReader(roster)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: reading the roster's header: %w", ErrInvalid, err)
	}
	cols := rosterColumns(header)
	if cols["name"] < 0 || cols["email"] < 0 {
		return nil, fmt.Errorf("%w: the roster's header must name the columns name and email", ErrInvalid)
	}

	var people []User
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return people, nil
		}
		if err != nil {
			// csv.ParseError names the line itself.
			return nil, fmt.Errorf("%w: reading the roster: %w", ErrInvalid, err)
		}
		// The reader skips blank lines and a quoted field may span lines,
		// so the line a person starts on is the reader's to tell.
		line, _ := r.FieldPos(0)
		if len(people) == maxImportRows {
			return nil, fmt.Errorf("%w: a roster holds at most %d people", ErrInvalid, maxImportRows)
		}
		u, err := rosterPerson(rec, cols)
		if err != nil {
			return nil, fmt.Errorf("roster line %d: %w", line, err)
		}
		if seen[lower(u.Email)] {
			return nil, fmt.Errorf("%w: roster line %d: %s is listed twice", ErrInvalid, line, u.Email)
		}
		seen[lower(u.Email)] = true
		people = append(people, *u)
	}
}

func rosterColumns(header []string) map[string]int {
	cols := map[string]int{"name": -1, "email": -1, "role": -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, ok := cols[h]; ok {
			cols[h] = i
		}
	}
	return cols
}

func rosterPerson(rec []string, cols map[string]int) (*User, error) {
	field := func(name string) string {
		if i := cols[name]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	role := Role(strings.ToLower(field("role")))
	if role == "" || slices.Contains([]Role{"teacher"}, role) {
		role = RoleEarner
	}
	return newInvitee(field("name"), field("email"), role)
}
