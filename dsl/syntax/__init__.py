"""The front end of the ruleset language: keywords, grammar loading, lark tree → AST, syntax messages.

`dsl.parser` is the public entry point; `dsl.formatter` prints an AST back in the canonical layout."""
