import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import {
  approvedMergeRequest,
  mergeApproved,
  mergeRequesterId,
  planMergeApproval,
} from '../../src/core/merge-approval.js';
import { planMergeDeploys } from '../../src/core/merge-deploy.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
users: { U0OCTO: OctoCat }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging: { deploy_on_merge: main, approvals: 2 }
`,
  'test.yml',
);
const repo = config.repos[0]!;
const staging = repo.environments[0]!;
const [planned] = planMergeDeploys(config, repo, {
  repository: 'octo-org/web',
  number: 42,
  title: 'Add the thing',
  author: 'octocat',
  baseRef: 'main',
  mergeCommitSha: 'a'.repeat(40),
});
const request = planned!.request;

describe('merge approvals', () => {
  it.each([
    ['the Slack user deploybot.yml maps the login to, whatever its case', 'octocat', 'U0OCTO'],
    ['a name no Slack user has, for an unmapped login', 'mallory', 'github:mallory'],
  ])('stands for the author by %s', (_name, author, id) => {
    expect(mergeRequesterId(config, author)).toBe(id);
  });

  it('counts approvals from the payload, never the author’s', () => {
    const withApprovers = (approved_by: string[]) => ({
      ...request,
      payload: { ...request.payload, approved_by },
    });
    expect(mergeApproved(config, staging, request)).toBe(false);
    expect(mergeApproved(config, staging, withApprovers(['U0A']))).toBe(false);
    expect(mergeApproved(config, staging, withApprovers(['U0A', 'U0OCTO']))).toBe(false);
    expect(mergeApproved(config, staging, withApprovers(['U0A', 'U0B']))).toBe(true);
  });

  it('plans the approval button as a pinned, confirmed deploy of the merge commit, and records the approvers', () => {
    const plan = planMergeApproval(config, {
      request,
      channel: 'C0WEB',
      repositoryUrl: 'https://github.com/octo-org/web',
      pullRequest: 42,
    });
    expect(plan).toMatchObject({
      repository: 'octo-org/web',
      sha: request.ref,
      userId: 'U0OCTO',
      confirmed: true,
      approvedBy: [],
      merge: { pullRequest: 42, author: 'octocat' },
    });
    const approved = approvedMergeRequest({ ...plan, approvedBy: ['U0A', 'U0B'], merge: plan.merge! });
    expect(approved.payload).toEqual({ ...request.payload, approved_by: ['U0A', 'U0B'] });
    expect(mergeApproved(config, staging, approved)).toBe(true);
  });
});
