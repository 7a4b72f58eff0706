"""convert: migrate Jekyll, Hugo and plain Markdown posts into Grav post folders.

Readers (jekyll, hugo, markdown) turn source files into neutral `Post`s (model); the Grav writer
(grav) lays them out as folders with a Symfony-style header (yamlemit) and a rewritten body
(body); apply writes the plan safely and keeps the migration record; run ties it together.
"""
