import { isStrictBase64 } from '../../../../shared/validation/base64';
import { hasControlCharacters } from '../../../../shared/validation/names';

describe('isStrictBase64', () => {
  it.each(['', 'AQI=', 'AAH/', 'aGk=', 'aGVsbG8gd29ybGQ='])('accepts %p', (v) => expect(isStrictBase64(v)).toBe(true));
  it.each(['AQI', 'AQ==x', 'A-_=', 'aG k=', 'aGk', '====', 'AQI=\n'])('refuses %p', (v) => expect(isStrictBase64(v)).toBe(false));
});

describe('hasControlCharacters', () => {
  it.each(['a\r\nb', 'a\u0000', '\u007f', '\tx'])('finds one in %p', (v) => expect(hasControlCharacters(v)).toBe(true));
  it.each(['alice', 'émile', 'a b', ''])('finds none in %p', (v) => expect(hasControlCharacters(v)).toBe(false));
});
