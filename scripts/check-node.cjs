// Refuses to install under a Node.js that Hardhat 3 cannot run on, saying what to do instead.
// (Under Node 20, npm would silently skip Hardhat's native EDR binding and Hardhat would later
// fail with HHE27.) CommonJS and no dependencies: it runs before anything is installed.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `OpenLedger needs Node.js >= 22.13 (Hardhat 3); this is ${process.version}.\n` +
      "Install with Node 22 from npm instead:  npx -y -p node@22.23.3 -- npm ci\n" +
      "(afterwards every npm script runs on the Node 22 that the project installs itself).",
  );
  process.exit(1);
}
