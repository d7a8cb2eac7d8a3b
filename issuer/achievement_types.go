package issuer

import "slices"

// AchievementTypes returns the OB 3.0 AchievementType values (§B.2.1) in
// the specification's order, for a form to offer as choices. Validation
// also accepts extension values starting "ext:", which no list can hold.
func AchievementTypes() []string { return slices.Clone(achievementTypes) }
