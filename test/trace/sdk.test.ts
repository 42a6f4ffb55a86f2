import { expect } from "chai";
import { id } from "ethers";
import { digitalLink, gs1CheckDigit, parseDigitalLink, productOf, traceIdIndex, traceIdOf, traceIdOfUri } from "../../sdk/gs1.js";
import { canonicalJson, eventHashOf, readingItem, readingProof, sensorTree, verifyReadingOffChain } from "../../sdk/trace.js";

describe("sdk/gs1: GS1 Digital Link <-> trace id", function () {
  it("parses the GS1 Digital Link standard's examples", function () {
    expect(parseDigitalLink("https://id.gs1.org/01/09506000134352/10/ABC123")).to.deep.equal({
      primary: "01",
      value: "09506000134352",
      qualifiers: { "10": "ABC123" },
    });
    expect(parseDigitalLink("https://example.com/01/09506000134352/10/ABC1/21/12345?17=180426")).to.deep.equal({
      primary: "01",
      value: "09506000134352",
      qualifiers: { "10": "ABC1", "21": "12345" },
    });
    expect(parseDigitalLink("https://id.gs1.org/00/106141412345678908")).to.deep.equal({ primary: "00", value: "106141412345678908", qualifiers: {} });
    expect(parseDigitalLink("https://id.gs1.org/414/9520123456788/254/32a%2Fb").qualifiers).to.deep.equal({ "254": "32a/b" });
    expect(parseDigitalLink("https://id.gs1.org/8004/9520614141234567").value).to.equal("9520614141234567");
  });

  it("gives one id for every spelling of the same key: domain, path prefix, GTIN-13, convenience alphas, query", function () {
    const canonical = traceIdOf("https://id.gs1.org/01/09506000134352/10/ABC123");
    for (const spelling of [
      "https://brand.example.com/products/01/09506000134352/10/ABC123",
      "https://id.gs1.org/01/9506000134352/10/ABC123",
      "https://id.gs1.org/gtin/09506000134352/lot/ABC123",
      "https://id.gs1.org/01/09506000134352/10/ABC123?17=261231&3103=000189",
    ]) {
      expect(traceIdOf(spelling), spelling).to.equal(canonical);
    }
    expect(canonical).to.equal(id("https://id.gs1.org/01/09506000134352/10/ABC123"));
    expect(traceIdOf("https://id.gs1.org/01/09506000134352/10/ABC124")).to.not.equal(canonical);
    expect(traceIdOf("https://id.gs1.org/01/09506000134352/21/ABC123")).to.not.equal(canonical);
  });

  it("goes back from parsed keys to the canonical link, and from ids to the links one knows", function () {
    const key = parseDigitalLink("https://example.com/01/9506000134352/10/LOT9/21/12345");
    expect(digitalLink(key)).to.equal("https://id.gs1.org/01/09506000134352/10/LOT9/21/12345");
    expect(digitalLink(key, "https://brand.example.com/")).to.equal("https://brand.example.com/01/09506000134352/10/LOT9/21/12345");
    const index = traceIdIndex(["https://example.com/gtin/9506000134352/lot/LOT9", "urn:epc:id:giai:9506000.EARTAG-1"]);
    expect(index.get(traceIdOf("https://id.gs1.org/01/09506000134352/10/LOT9"))).to.equal("https://id.gs1.org/01/09506000134352/10/LOT9");
    expect(index.get(traceIdOfUri("urn:epc:id:giai:9506000.EARTAG-1"))).to.equal("urn:epc:id:giai:9506000.EARTAG-1");
  });

  it("computes GS1 check digits and refuses wrong ones, wrong lengths, unknown or disordered qualifiers", function () {
    expect(gs1CheckDigit("0950600013435")).to.equal(2);
    expect(gs1CheckDigit("10614141234567890")).to.equal(8);
    expect(() => parseDigitalLink("https://id.gs1.org/01/09506000134353")).to.throw(/check digit 3, expected 2/);
    expect(() => parseDigitalLink("https://id.gs1.org/01/0950600013")).to.throw(/must be 14 digits/);
    expect(() => parseDigitalLink("https://id.gs1.org/01/09506000134352/17/261231")).to.throw(/not a key qualifier/);
    expect(() => parseDigitalLink("https://id.gs1.org/01/09506000134352/21/1/10/A")).to.throw(/out of order/);
    expect(() => parseDigitalLink("https://example.com/about")).to.throw(/No GS1 primary key/);
    expect(() => parseDigitalLink("ftp://id.gs1.org/01/09506000134352")).to.throw(/Not a web URI/);
  });

  it("names the product (GTIN as a number) and hashes non-GS1 URIs as written", function () {
    expect(productOf("https://id.gs1.org/01/09506000134352/10/ABC123")).to.equal(9506000134352n);
    expect(() => productOf("https://id.gs1.org/00/106141412345678908")).to.throw(/Only GTIN-keyed/);
    expect(traceIdOfUri("urn:epc:id:giai:9506000.EARTAG-1")).to.equal(id("urn:epc:id:giai:9506000.EARTAG-1"));
    expect(traceIdOfUri("https://id.gs1.org/01/09506000134352/10/ABC123")).to.equal(traceIdOf("https://id.gs1.org/01/09506000134352/10/ABC123"));
    expect(traceIdOfUri("https://example.com/not-a-link")).to.equal(id("https://example.com/not-a-link"));
  });
});

describe("sdk/trace: canonical hashes and sensor trees", function () {
  it("hashes an EPCIS event whatever the key order", function () {
    const a = { type: "ObjectEvent", eventTime: "2024-09-17T08:00:00Z", epcList: ["x"], bizStep: "shipping" };
    const b = { bizStep: "shipping", epcList: ["x"], eventTime: "2024-09-17T08:00:00Z", type: "ObjectEvent" };
    expect(canonicalJson(a)).to.equal('{"bizStep":"shipping","epcList":["x"],"eventTime":"2024-09-17T08:00:00Z","type":"ObjectEvent"}');
    expect(eventHashOf(a)).to.equal(eventHashOf(b));
    expect(eventHashOf({ ...a, bizStep: "receiving" })).to.not.equal(eventHashOf(a));
  });

  it("builds a sensor tree whose proofs verify off chain, and refuse a changed reading", function () {
    const readings = [0, 1, 2].map((i) => ({ device: "urn:dev:1", time: 1_700_000_000 + i, type: "gs1:Temperature", milliValue: 4_000 + i, unit: "CEL" }));
    const { tree, root, items } = sensorTree(readings);
    expect(items).to.deep.equal(readings.map(readingItem));
    for (const reading of readings) expect(verifyReadingOffChain(root, reading, readingProof(tree, reading))).to.equal(true);
    expect(verifyReadingOffChain(root, { ...readings[0], milliValue: 3_000 }, readingProof(tree, readings[0]))).to.equal(false);
  });
});
