import { decodeBytes32String } from "ethers";
import { moduleName, selectors } from "../../../deploy/lib.js";
import { Roles, type RoleName } from "../../../deploy/roles.js";
import { AccessManager__factory, TrustDirectory__factory } from "../../../typechain-types/index.js";
import { short } from "../../lib/format.js";
import { CONSORTIUM, type Chapter } from "../runner.js";

const roleNames = new Map(Object.entries(Roles).map(([name, id]) => [id, name as RoleName]));
const roleName = (id: bigint) => roleNames.get(id) ?? `role ${id}`;
const time = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

export const governance: Chapter = {
  title: "Governance: who may change what",
  summary:
    "One AccessManager is the authority of every module: roles, their holders and delays. The TrustDirectory " +
    "maps module names to addresses; changes to it are restricted, and can be made to wait in public.",

  async run(demo) {
    const consortium = await demo.actor(CONSORTIUM);
    const operator = await demo.actor("Release operator");
    const stranger = await demo.actor("Stranger");
    const manager = AccessManager__factory.connect(demo.address("accessManager"), consortium.signer);
    const directory = TrustDirectory__factory.connect(demo.address("directory"), consortium.signer);
    const directoryAddress = await directory.getAddress();

    demo.section(`AccessManager ${short(await manager.getAddress())}: roles and who in the cast holds them`);
    const cast = [consortium, operator, stranger];
    const rows = [];
    for (const [name, id] of Object.entries(Roles)) {
      if (name === "PUBLIC") continue;
      const holders = [];
      for (const actor of cast) {
        const [isMember, delay] = await manager.hasRole(id, actor.address);
        if (isMember) holders.push(delay > 0n ? `${actor.name}, delay ${demo.clock.toSeconds(delay)} s` : actor.name);
      }
      const guardian = roleName(await manager.getRoleGuardian(id));
      rows.push([name, String(id), guardian, holders.join(", ") || "nobody yet"]);
    }
    demo.table(["role", "id", "guardian", "held by"], rows, ["left", "right"]);

    const [registerSelector, removeSelector] = selectors("register(bytes32,address,uint64)", "remove(bytes32)");
    demo.section(`TrustDirectory ${short(directoryAddress)}: who may call its restricted functions`);
    demo.table(
      ["function", "role"],
      [
        ["register(name, module, version)", roleName(await manager.getTargetFunctionRole(directoryAddress, registerSelector))],
        ["remove(name)", roleName(await manager.getTargetFunctionRole(directoryAddress, removeSelector))],
      ],
    );
    demo.section("A release, published at once by a directory editor without delay");
    const name = moduleName("TrustDirectory");
    const version = (await directory.entryOf(name)).version + 1n;
    await demo.step(consortium, `publishes TrustDirectory v${version} in the directory`, directory.register(name, directoryAddress, version));

    await demo.refused(
      stranger,
      "points AccessManager at an address of his own",
      directory.connect(stranger.signer).register(moduleName("AccessManager"), stranger.address, 99),
    );

    demo.section("A directory editor on a delay: each change is announced on chain, executable only later");
    // AccessManager counts in the chain's own timestamp unit (milliseconds on FISCO BCOS before 3.12).
    const [isUpgrader, upgradeDelay] = await manager.hasRole(Roles.UPGRADER, consortium.address);
    const delay = isUpgrader && upgradeDelay > 0n ? upgradeDelay : demo.clock.toChain(60);
    const seconds = demo.clock.toSeconds(delay);
    await demo.step(
      consortium,
      `appoints Release operator directory editor, ${seconds} s delay`,
      manager.grantRole(Roles.DIRECTORY_EDITOR, operator.address, delay),
    );
    demo.note(`(the same delay as UPGRADER's: the consortium sees each change coming)`);

    const next = version + 1n;
    const call = directory.interface.encodeFunctionData("register", [name, directoryAddress, next]);
    await demo.refused(
      operator,
      `publishes TrustDirectory v${next} directly`,
      directory.connect(operator.signer).register(name, directoryAddress, next),
    );
    await demo.step(operator, `schedules "publish TrustDirectory v${next}"`, manager.connect(operator.signer).schedule(directoryAddress, call, 0));
    const operation = await manager.hashOperation(operator.address, directoryAddress, call);
    const readyAt = await manager.getSchedule(operation);
    const now = demo.clock.toChain(await demo.now());
    demo.note(`operation ${short(operation)}: executable in ${demo.clock.toSeconds(readyAt - now)} s, at ${time(demo.clock.toSeconds(readyAt))}`);
    await demo.refused(operator, "executes it at once", manager.connect(operator.signer).execute(directoryAddress, call));
    await demo.later(seconds, "nobody cancelled (the admin or the operator could have)");
    await demo.step(operator, "executes the scheduled publication", manager.connect(operator.signer).execute(directoryAddress, call));

    const [names, entries] = await directory.modules();
    demo.section("The directory now lists");
    demo.table(
      ["module", "version", "address", "updated"],
      names.map((entryName, index) => [
        decodeBytes32String(entryName),
        String(entries[index].version),
        short(entries[index].module),
        time(entries[index].updatedAt),
      ]),
      ["left", "right"],
    );
  },
};
