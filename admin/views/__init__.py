"""The admin's views: `base` (scoped model views), `home`, `data`, `imports`, `rulesets`; `register`
puts them in the menu."""
