import { moduleName } from "../../deploy/lib.js";
import { Roles } from "../../deploy/roles.js";
import { AccessManager__factory, SM2VerifierMock__factory, TrustDirectory__factory } from "../../typechain-types/index.js";
import type { Bench } from "./context.js";

export const governance: Bench = {
  module: "Governance",
  async run({ address, connection, measure, signers }) {
    const [admin, operator] = signers;
    const manager = AccessManager__factory.connect(address("accessManager"), admin);
    const directory = TrustDirectory__factory.connect(address("directory"), admin);
    const directoryAddress = await directory.getAddress();
    // A freshly deployed contract to register: its address is cold, as a new module's would be.
    const module = await (await new SM2VerifierMock__factory(admin).deploy()).getAddress();
    const name = moduleName("BenchModule");

    await measure("directory.register.first", directory.register(name, module, 1));
    await measure("directory.register.update", directory.register(name, module, 2));

    const delay = 60;
    await measure("accessManager.grantRole", manager.grantRole(Roles.DIRECTORY_EDITOR, operator.address, delay));
    const publish = directory.interface.encodeFunctionData("register", [name, module, 3]);
    await measure("accessManager.schedule", manager.connect(operator).schedule(directoryAddress, publish, 0));
    await connection.networkHelpers.time.increase(delay);
    await measure("accessManager.execute", manager.connect(operator).execute(directoryAddress, publish));

    const unwanted = directory.interface.encodeFunctionData("register", [name, module, 4]);
    await manager.connect(operator).schedule(directoryAddress, unwanted, 0);
    await measure("accessManager.cancel", manager.cancel(operator.address, directoryAddress, unwanted));

    await measure("directory.remove", directory.remove(name));
  },
};
