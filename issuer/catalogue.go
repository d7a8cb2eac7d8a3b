package issuer

import (
	"cmp"
	"slices"
	"strings"
)

// CatalogueQuery selects achievements from the catalogue a teacher
// browses. Zero fields select all.
type CatalogueQuery struct {
	// Text matches, ignoring case, the name, the description or a tag.
	Text string
	// Tag keeps achievements carrying this tag (ignoring case).
	Tag string
	// Hours keeps achievements in one band of credit hours: see HoursBands.
	Hours string
}

// HoursBand is a range of credit hours a teacher can filter by: over Min
// (or from zero, when Min is 0) and at most Max (no bound when Max is 0).
type HoursBand struct {
	ID, Label string
	Min, Max  float64
}

// HoursBands are the credit-hour ranges of the catalogue filter. They do
// not overlap: "1–5" is more than 1 and at most 5 hours.
var HoursBands = []HoursBand{
	{ID: "upto1", Label: "Up to 1 hour", Max: 1},
	{ID: "1to5", Label: "1–5 hours", Min: 1, Max: 5},
	{ID: "5to10", Label: "5–10 hours", Min: 5, Max: 10},
	{ID: "over10", Label: "Over 10 hours", Min: 10},
}

// contains reports whether h hours fall in the band.
func (b HoursBand) contains(h float64) bool {
	if b.Min > 0 && h <= b.Min {
		return false
	}
	return b.Max == 0 || h <= b.Max
}

// SearchCatalogue returns the achievements of list that q selects, by
// name. An unknown hours band selects nothing rather than everything, so
// a mistyped filter never pretends to have applied.
func SearchCatalogue(list []Achievement, q CatalogueQuery) []Achievement {
	text, tag := lower(q.Text), lower(q.Tag)
	band, banded := HoursBand{}, q.Hours != ""
	if banded {
		i := slices.IndexFunc(HoursBands, func(b HoursBand) bool { return b.ID == q.Hours })
		if i < 0 {
			return nil
		}
		band = HoursBands[i]
	}

	var out []Achievement
	for _, a := range list {
		if (tag == "" || hasTag(a, tag)) && (text == "" || mentions(a, text)) &&
			(!banded || band.contains(a.CreditsAvailable)) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b Achievement) int {
		return cmp.Or(strings.Compare(lower(a.Name), lower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return out
}

// CatalogueTags lists the tags the achievements carry, once each (the
// first spelling met), sorted ignoring case: the choices of the tag filter.
func CatalogueTags(list []Achievement) []string {
	seen := map[string]bool{}
	var tags []string

	for _, a := range list {
		for _, t := range a.Tags {
			if t = strings.TrimSpace(t); t != "" && !seen[lower(t)] {
				seen[lower(t)] = true
				tags = append(tags, t)
			}
		}
	}
	slices.SortFunc(tags, func(a, b string) int { return strings.Compare(lower(a), lower(b)) })
	return tags
}

// hasTag reports whether a carries tag, which is already lower case:
// tags match whole, so "se" does not find "SEL".
func hasTag(a Achievement, tag string) bool {
	return slices.ContainsFunc(a.Tags, func(t string) bool { return lower(t) == tag })
}

// mentions reports whether the achievement's name, description or a tag
// contains text, which is already lower case.
func mentions(a Achievement, text string) bool {
	if strings.Contains(lower(a.Name), text) || strings.Contains(lower(a.Description), text) {
		return true
	}
	return slices.ContainsFunc(a.Tags, func(t string) bool { return strings.Contains(lower(t), text) })
}
