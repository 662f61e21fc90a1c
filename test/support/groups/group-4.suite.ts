// Group 4 of the test files (test/support/test-groups.cjs), one Jest suite under npm test.
import { runGroup } from '../run-group';

runGroup(4);
