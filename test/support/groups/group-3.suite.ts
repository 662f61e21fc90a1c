// Group 3 of the test files (test/support/test-groups.cjs), one Jest suite under npm test.
import { runGroup } from '../run-group';

runGroup(3);
