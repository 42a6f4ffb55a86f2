import { encodeBytes32String, id, toUtf8Bytes, hexlify } from "ethers";
import { Topics } from "../../../deploy/topics.js";
import { CredentialRegistry__factory, DIDRegistry__factory } from "../../../typechain-types/index.js";
import { didOf } from "../../../sdk/did.js";
import { CredentialRegistryTypes, DIDRegistryTypes, domainOf } from "../../../sdk/eip712.js";
import { short } from "../../lib/format.js";
import { CONSORTIUM, type Chapter } from "../runner.js";

const DAY = 86_400n;
const YEAR = 365n * DAY;
const Status = ["None", "Active", "Suspended", "Revoked", "Superseded"];

export const identity: Chapter = {
  title: "Identity: DIDs, credentials, presentations",
  summary:
    "Every actor is a did:ethr DID in the DIDRegistry (ERC-1056 compatible, no admin). Issuers the consortium " +
    "trusts record credential status in the CredentialRegistry; holders present them with a signature; modules " +
    "ask the IdentityGate. Keys rotate, credentials get revoked, a deactivated DID stays dead.",

  async run(demo) {
    const consortium = await demo.actor(CONSORTIUM);
    const bureau = await demo.actor("KYC Bureau");
    const port = await demo.actor("Port Authority");
    const farmer = await demo.actor("Farmer Li");
    const acme = await demo.actor("Acme Shipping");
    const acmeNewKey = await demo.actor("Acme Shipping (new key)");
    const portal = await demo.actor("Shipper portal");
    const guardianA = await demo.actor("Li's cooperative");
    const guardianB = await demo.actor("Li's notary");
    const retired = await demo.actor("Retired trader");
    const dids = DIDRegistry__factory.connect(demo.address("didRegistry"), consortium.signer);
    const credentials = CredentialRegistry__factory.connect(demo.address("credentialRegistry"), consortium.signer);
    const { chainId } = await demo.connection.ethers.provider.getNetwork();
    const now = await demo.now();

    demo.section("The consortium's identity committee names whom it trusts, per topic");
    for (const [issuer, topic, name] of [
      [bureau, Topics.KYC, "KYC"],
      [port, Topics.CARRIER, "CARRIER"],
    ] as const) {
      if (await credentials.isTrustedIssuer(topic, issuer.address)) continue;
      await demo.step(consortium, `trusts ${issuer.name} for ${name}`, credentials.setIssuerTrust(topic, issuer.address, true));
    }

    demo.section("DIDs: nothing to register, an address is a DID; its owner publishes what it needs");
    demo.note(`${farmer.name} is ${didOf(chainId, farmer.address)}`);
    await demo.step(
      farmer,
      "publishes a service endpoint (attribute, 1 year)",
      dids.connect(farmer.signer).setAttribute(
        farmer.address,
        encodeBytes32String("did/svc/TraceService"),
        hexlify(toUtf8Bytes("https://coop.example/li")),
        YEAR,
      ),
    );
    await demo.step(
      acme,
      "adds a sigAuth delegate (its portal key, 30 days)",
      dids.connect(acme.signer).addDelegate(acme.address, encodeBytes32String("sigAuth"), portal.address, 30n * DAY),
    );
    await demo.step(acme, "rotates its key after a laptop is stolen", dids.connect(acme.signer).changeOwner(acme.address, acmeNewKey.address));
    await demo.refused(
      acme,
      "(the stolen key) tries to add a delegate",
      dids.connect(acme.signer).addDelegate(acme.address, encodeBytes32String("sigAuth"), acme.address, DAY),
    );
    demo.note(`identityOwner(${short(acme.address)}) = ${demo.nameOf(await dids.identityOwner(acme.address))}`);

    demo.section("Credentials: issuers record status; content stays off chain (only its hash is the id)");
    const kycLi = id(`kyc:${farmer.address}:${now}`);
    const kycAcme = id(`kyc:${acme.address}:${now}`);
    const licence = id(`carrier-licence:${acme.address}:${now}`);
    await demo.step(bureau, `issues KYC to ${farmer.name}`, credentials.connect(bureau.signer).issue(kycLi, bureau.address, farmer.address, Topics.KYC, now, now + YEAR));
    await demo.step(bureau, `issues KYC to ${acme.name}`, credentials.connect(bureau.signer).issue(kycAcme, bureau.address, acme.address, Topics.KYC, now, now + YEAR));
    await demo.step(port, `issues a carrier licence to ${acme.name}`, credentials.connect(port.signer).issue(licence, port.address, acme.address, Topics.CARRIER, now, now + YEAR));
    await demo.refused(
      farmer,
      "issues himself a carrier licence",
      credentials.connect(farmer.signer).issue(id("forged"), farmer.address, farmer.address, Topics.CARRIER, now, now + YEAR),
    );

    demo.section("A presentation: Acme shows KYC + carrier licence to the shipper portal, for one hour");
    const presentation = { holder: acme.address, verifier: portal.address, credentialIds: [kycAcme, licence], validUntil: now + 3600n };
    const domain = domainOf("CredentialRegistry", chainId, await credentials.getAddress());
    const signature = await demo.sign(acmeNewKey, domain, CredentialRegistryTypes.Presentation, presentation);
    const holder = await credentials.connect(portal.signer).verifyPresentation(presentation, signature);
    demo.line(portal.name, "verifies it (a view call, no transaction)", `holder ${demo.nameOf(holder)}`);
    await demo.refused(farmer, "replays it to the portal's check as himself", credentials.connect(farmer.signer).verifyPresentation(presentation, signature));
    const stolen = await demo.sign(acme, domain, CredentialRegistryTypes.Presentation, presentation);
    await demo.refused(portal, "checks one signed with Acme's stolen key", credentials.connect(portal.signer).verifyPresentation(presentation, stolen));

    demo.section("Revocation counts at once, everywhere the gate asks");
    await demo.step(port, "suspends Acme's carrier licence (inspection pending)", credentials.connect(port.signer).suspend(licence));
    demo.note(`hasValid(Acme, CARRIER) = ${await credentials.hasValid(acme.address, Topics.CARRIER)}`);
    await demo.refused(portal, "verifies the same presentation again", credentials.connect(portal.signer).verifyPresentation(presentation, signature));
    await demo.step(port, "reinstates it", credentials.connect(port.signer).reinstate(licence));
    await demo.step(bureau, `revokes ${farmer.name}'s KYC (documents expired)`, credentials.connect(bureau.signer).revoke(kycLi));
    await demo.refused(bureau, "reinstates a revoked credential", credentials.connect(bureau.signer).reinstate(kycLi));
    const rows = [];
    for (const [label, credentialId] of [
      ["KYC of Farmer Li", kycLi],
      ["KYC of Acme", kycAcme],
      ["carrier licence of Acme", licence],
    ] as const) {
      const view = await credentials.statusOf(credentialId);
      rows.push([label, demo.nameOf(view.issuer), Status[Number(view.status)], view.valid ? "yes" : "no"]);
    }
    demo.table(["credential", "issuer", "status", "counts now"], rows);

    demo.section("Guardian recovery: two guardians rotate a lost key after a delay the owner chose");
    await demo.step(
      farmer,
      "names 2 guardians, both needed, 1 hour delay",
      dids.connect(farmer.signer).setGuardians(farmer.address, [guardianA.address, guardianB.address].sort(), 2, 3600),
    );
    const [, , , recoveryNonce] = await dids.guardiansOf(farmer.address);
    const deadline = now + DAY;
    const recover = { identity: farmer.address, newOwner: guardianA.address, nonce: recoveryNonce, deadline };
    const didDomain = domainOf("DIDRegistry", chainId, await dids.getAddress());
    const guardians = [guardianA, guardianB].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
    const signatures = await Promise.all(guardians.map((g) => demo.sign(g, didDomain, DIDRegistryTypes.Recover, recover)));
    await demo.step(
      guardianB,
      `starts recovery of ${farmer.name}'s DID to a new key`,
      dids.connect(guardianB.signer).initiateRecovery(farmer.address, guardianA.address, deadline, guardians.map((g) => g.address), signatures),
    );
    await demo.refused(guardianB, "executes it at once", dids.connect(guardianB.signer).executeRecovery(farmer.address));
    await demo.step(farmer, "finds his phone and cancels within the delay", dids.connect(farmer.signer).cancelRecovery(farmer.address));

    demo.section("Deactivation is final: the registry itself refuses every later change");
    await demo.step(retired, "deactivates his DID", dids.connect(retired.signer).deactivate(retired.address));
    await demo.refused(retired, "tries to publish an attribute", dids.connect(retired.signer).setAttribute(retired.address, encodeBytes32String("x"), "0x", DAY));
    demo.note(`identityOwner = ${await dids.identityOwner(retired.address)} (resolvers report: deactivated)`);
  },
};
