package canon

import (
	"iter"
	"slices"
)

// permuter lists the permutations of blank nodes in the order of the
// Steinhaus–Johnson–Trotter algorithm over their labels, starting from the
// sorted list, as rdf-canonize does: when two permutations give equal
// paths, the first one's issuer wins, and matching its order keeps
// Laurel's canonical form equal to the reference implementation's.
type permuter struct {
	g    *blankGraph
	list []int
	// left is each label's direction; repeated nodes share one, as the
	// reference's map keyed by label makes them.
	left map[string]bool
}

func newPermuter(g *blankGraph, list []int) *permuter {
	p := &permuter{g: g, list: slices.Clone(list), left: map[string]bool{}}
	slices.SortFunc(p.list, func(a, b int) int { return compareStrings(p.label(a), p.label(b)) })
	for _, n := range p.list {
		p.left[p.label(n)] = true
	}
	return p
}

func (p *permuter) label(n int) string { return p.g.nodes[n].label }

// all yields each permutation; the slice is reused between yields.
func (p *permuter) all() iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		current := make([]int, len(p.list))
		for {
			copy(current, p.list)
			last := !p.step()
			if !yield(current) || last {
				return
			}
		}
	}
}

// step moves to the next permutation, or reports false after the last.
func (p *permuter) step() bool {
	pos := p.largestMobile()
	if pos < 0 {
		return false
	}

	k := p.label(p.list[pos])
	swap := pos + 1
	if p.left[k] {
		swap = pos - 1
	}
	p.list[pos], p.list[swap] = p.list[swap], p.list[pos]

	for _, n := range p.list {
		if l := p.label(n); l > k {
			p.left[l] = !p.left[l]
		}
	}
	return true
}

// largestMobile returns the position of the largest element greater than
// the neighbour its direction points at, or -1 when there is none.
func (p *permuter) largestMobile() int {
	pos := -1
	for i, n := range p.list {
		label := p.label(n)
		if pos >= 0 && label <= p.label(p.list[pos]) {
			continue
		}
		if p.left[label] && i > 0 && label > p.label(p.list[i-1]) ||
			!p.left[label] && i < len(p.list)-1 && label > p.label(p.list[i+1]) {
			pos = i
		}
	}
	return pos
}
