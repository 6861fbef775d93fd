import Papa from "papaparse";
import { describe, expect, test } from "vitest";
import { toSafeCsv } from "./csv";

describe("CSV written by Bulkhead", () => {
  test.each([
    ["=1+1", "'=1+1"],
    ['=HYPERLINK("https://evil.example","click")', `'=HYPERLINK("https://evil.example","click")`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["85.0", "85.0"],
    ["payments", "payments"],
    ["a=b", "a=b"],
    ["", ""],
  ])("cell and header %j read back as %j", (value, expected) => {
    const parsed = Papa.parse<string[]>(toSafeCsv([value, "x"], [[value, "y"]])).data;
    expect(parsed[0][0]).toBe(expected);
    expect(parsed[1][0]).toBe(expected);
  });
});
