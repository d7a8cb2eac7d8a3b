package issuer_test

import (
	"slices"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
)

func catalogue() []issuer.Achievement {
	return []issuer.Achievement{
		{ID: "a", Name: "Restorative Circles", Description: "Community building.", Tags: []string{"SEL", "Culture"},
			CreditsAvailable: 1},
		{ID: "b", Name: "formative Assessment", Description: "Exit tickets and hinge questions.",
			Tags: []string{"assessment"}, CreditsAvailable: 5},
		{ID: "c", Name: "Coaching Cycles", Description: "Peer coaching.", Tags: []string{"sel"},
			CreditsAvailable: 10.5},
		{ID: "d", Name: "Arts Integration", Description: "Music in maths.", CreditsAvailable: 1.5},
	}
}

func ids(list []issuer.Achievement) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

// The catalogue filter: text matches name, description or tags ignoring
// case; tags match whole; the hours bands do not overlap; results are in
// name order; an unknown band selects nothing.
func TestSearchCatalogue(t *testing.T) {
	cases := []struct {
		name string
		q    issuer.CatalogueQuery
		want []string
	}{
		{"all, by name", issuer.CatalogueQuery{}, []string{"d", "c", "b", "a"}},
		{"name", issuer.CatalogueQuery{Text: "ASSESS"}, []string{"b"}},
		{"description", issuer.CatalogueQuery{Text: "hinge"}, []string{"b"}},
		{"tag text", issuer.CatalogueQuery{Text: "cult"}, []string{"a"}},
		{"tag filter", issuer.CatalogueQuery{Tag: "SEL"}, []string{"c", "a"}},
		{"tag filter is whole", issuer.CatalogueQuery{Tag: "se"}, nil},
		{"up to 1", issuer.CatalogueQuery{Hours: "upto1"}, []string{"a"}},
		{"1 to 5", issuer.CatalogueQuery{Hours: "1to5"}, []string{"d", "b"}},
		{"5 to 10", issuer.CatalogueQuery{Hours: "5to10"}, nil},
		{"over 10", issuer.CatalogueQuery{Hours: "over10"}, []string{"c"}},
		{"combined", issuer.CatalogueQuery{Text: "c", Tag: "sel", Hours: "over10"}, []string{"c"}},
		{"unknown band", issuer.CatalogueQuery{Hours: "lots"}, nil},
	}
	for _, c := range cases {
		if got := ids(issuer.SearchCatalogue(catalogue(), c.q)); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCatalogueTags(t *testing.T) {
	got := issuer.CatalogueTags(catalogue())
	if want := []string{"assessment", "Culture", "SEL"}; !slices.Equal(got, want) {
		t.Fatalf("tags %v, want %v", got, want)
	}
}
