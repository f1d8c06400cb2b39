import { describe, expect, it } from 'vitest';
import { defaultUrlPattern, matchesUrlPattern } from './url-pattern';

describe('matchesUrlPattern', () => {
  it('without a star: the URL contains the pattern', () => {
    expect(matchesUrlPattern('http://h/api/chat', 'http://h/api/chat?x=1')).toBe(true);
    expect(matchesUrlPattern('/api/chat', 'http://h/api/chat')).toBe(true);
    expect(matchesUrlPattern('chat', 'http://h/api/chat')).toBe(true);
    expect(matchesUrlPattern('http://h/api/chat', 'http://h/api/cha')).toBe(false);
    expect(matchesUrlPattern('/api/chats', 'http://h/api/chat')).toBe(false);
    // Other characters stand for themselves (no regular expression, no ? wildcard).
    expect(matchesUrlPattern('a.c', 'http://h/abc')).toBe(false);
    expect(matchesUrlPattern('?x=1', 'http://h/s?x=1')).toBe(true);
    expect(matchesUrlPattern('?x=1', 'http://h/sax=1')).toBe(false);
  });

  it('with stars: a glob over the whole URL', () => {
    expect(matchesUrlPattern('*prefix=rec', 'http://h/s?count=5&prefix=rec')).toBe(true);
    expect(matchesUrlPattern('*prefix=rec', 'http://h/s?prefix=rec&count=5')).toBe(false);
    expect(matchesUrlPattern('*prefix=rec*', 'http://h/s?prefix=rec&count=5')).toBe(true);
    expect(matchesUrlPattern('http://h/*/chat', 'http://h/v1/api/chat')).toBe(true);
    expect(matchesUrlPattern('http://h/*/chat', 'http://h/v1/api/chat?x')).toBe(false);
    expect(matchesUrlPattern('https://*', 'http://h/')).toBe(false);
    expect(matchesUrlPattern('*', '')).toBe(true);
    expect(matchesUrlPattern('**a**b**', 'xxaxxbxx')).toBe(true);
    expect(matchesUrlPattern('*a*b', 'xxbxxa')).toBe(false);
    // Backtracking: the first "ab" is not the one that lets the rest match.
    expect(matchesUrlPattern('*ab*abc', 'xabyyabc')).toBe(true);
  });

  it('does not blow up on long inputs', () => {
    const url = `http://h/${'a'.repeat(5000)}`;
    expect(matchesUrlPattern(`*${'a'.repeat(100)}b*`, url)).toBe(false);
    expect(matchesUrlPattern('*a', url)).toBe(true);
  });
});

describe('defaultUrlPattern', () => {
  it('is the URL without its query and fragment', () => {
    expect(defaultUrlPattern('http://h/s?count=5&x=1#f')).toBe('http://h/s');
    expect(defaultUrlPattern('http://h/s#f?x')).toBe('http://h/s');
    expect(defaultUrlPattern('http://h/s')).toBe('http://h/s');
  });
});
