#!/usr/bin/env node
// Runs cfn-guard with AWS Control Tower's proactive-control rules (AWS's own packaging:
// @cdklabs/cdk-validator-cfnguard, which ships the cfn-guard binary and the rules) on synthesized
// CloudFormation templates, and fails on every finding that is not on the accepted list.
//
// usage: node check.js --modules <folder holding node_modules> --accepted <accepted-findings.json> <template.json>...
// exit: 0 all findings accepted; 1 a finding is not accepted, or an accepted entry matched nothing
//       (a stale entry hides the next real finding of that rule); 2 bad usage or cfn-guard failed.
'use strict';
const fs = require('fs');
const path = require('path');

function usage(message) {
  console.error(`check.js: ${message}\nusage: node check.js --modules <dir> --accepted <file> <template.json>...`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { templates: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--modules' || argv[i] === '--accepted') {
      if (i + 1 >= argv.length) usage(`${argv[i]} needs a value`);
      args[argv[i].substring(2)] = argv[++i];
    } else {
      args.templates.push(argv[i]);
    }
  }
  if (!args.modules) usage('--modules is missing');
  if (!args.accepted) usage('--accepted is missing');
  if (args.templates.length === 0) usage('no template given');
  return args;
}

function readAccepted(file) {
  const list = JSON.parse(fs.readFileSync(file, 'utf8')).accepted;
  if (!Array.isArray(list)) usage(`${file}: "accepted" must be a list`);
  return list.map((entry, i) => {
    const where = `${file}: accepted[${i}]`;
    if (typeof entry.rule !== 'string' || entry.rule === '') usage(`${where}.rule is missing`);
    if (typeof entry.resource !== 'string' || entry.resource === '') usage(`${where}.resource is missing`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 40) {
      usage(`${where}.reason must say why in at least 40 characters`);
    }
    return { ...entry, pattern: new RegExp(`^(?:${entry.resource})$`), used: 0 };
  });
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const accepted = readAccepted(args.accepted);
  let plugin;
  let guardVersion;
  try {
    const main = require.resolve('@cdklabs/cdk-validator-cfnguard', { paths: [path.resolve(args.modules)] });
    plugin = require(main);
    guardVersion = require(path.join(path.dirname(main), '..', 'guard-version.json')).version;
  } catch (missing) {
    usage(`@cdklabs/cdk-validator-cfnguard is not installed under ${args.modules}: run npm ci there (${missing.message})`);
  }
  const validator = new plugin.CfnGuardValidator({});
  let report;
  try {
    report = validator.validate({ templatePaths: args.templates.map(t => path.resolve(t)) });
  } catch (failed) {
    console.error(`check.js: cfn-guard did not run: ${failed.message}`);
    process.exit(2);
  }
  const findings = [];
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      findings.push({
        rule: violation.ruleName,
        resource: resource.resourceLogicalId,
        template: path.basename(resource.templatePath),
        description: violation.description,
        fix: violation.fix,
      });
    }
  }
  const rejected = [];
  for (const finding of findings) {
    const match = accepted.find(a => a.rule === finding.rule && a.pattern.test(finding.resource));
    if (match) {
      match.used++;
    } else {
      rejected.push(finding);
    }
  }
  const stale = accepted.filter(a => a.used === 0);
  console.log(`cfn-guard ${guardVersion} (@cdklabs/cdk-validator-cfnguard ${validator.version}, Control Tower rules, `
      + `${validator.ruleIds.length} rule files): `
      + `${args.templates.length} template(s), ${findings.length} finding(s), `
      + `${findings.length - rejected.length} accepted, ${rejected.length} not accepted, ${stale.length} stale accepted`);
  for (const f of rejected) {
    console.log(`NOT ACCEPTED ${f.rule} on ${f.resource} (${f.template}): ${f.description}\n  fix: ${f.fix}`);
  }
  for (const a of stale) {
    console.log(`STALE ACCEPTED ${a.rule} on /${a.resource}/ matched no finding: remove it from ${args.accepted}`);
  }
  process.exit(rejected.length > 0 || stale.length > 0 ? 1 : 0);
}

main();
