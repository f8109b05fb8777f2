/**
 * The Java examples of README.md and docs/, compiled with the tests: each Markdown block marked
 * {@code <!-- snippet: name -->} is the region between {@code // tag::name[]} and {@code // end::name[]}
 * of a file here ({@code DocumentationSnippetsTests} checks it). The classes are never run as tests.
 */
@NullMarked
package io.github.nsqspring.docs.snippets;

import org.jspecify.annotations.NullMarked;
