// The checks of Tests.kt, Shared.kt, Calls.kt and Answers.kt (the shared vectors: signing,
// responses, catalog, host-behaviours, bad-inputs, call-scenarios, page walks, typed answers; the
// API, bad inputs, mock-cams, the transport and the credentials chain) under JUnit 5: one
// @TestFactory per group, in the order they always ran (a kept clock offset or a mock's state
// must not leak from one order into another), each check one dynamic test.
package camskit.tests

import camskit.maven.root
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class KotlinSuiteTest {
    /** Runs a group's checks now; each becomes a JUnit test that passes or rethrows its failure. */
    private fun group(block: () -> Unit): List<DynamicTest> {
        val start = outcomes.size
        block()
        val ran = outcomes.subList(start, outcomes.size).toList()
        assertTrue(ran.isNotEmpty(), "the group ran no check")
        return ran.map { o -> DynamicTest.dynamicTest(o.name) { o.error?.let { throw it } } }
    }

    @TestFactory @Order(1) fun `rpc-v1 vectors`() = group { rpcV1Vectors(root) }
    @TestFactory @Order(2) fun `v3 vectors`() = group { v3Vectors(root) }
    @TestFactory @Order(3) fun `responses vectors`() = group { responseVectors(root) }
    @TestFactory @Order(4) fun `catalog vectors`() = group { catalogVectors(root) }
    @TestFactory @Order(5) fun `the Kotlin API`() = group { apiTests() }
    @TestFactory @Order(6) fun `bad inputs`() = group { badInputs() }
    @TestFactory @Order(7) fun `against mock-cams`() = group { mockTests(root) }
    @TestFactory @Order(8) fun `host-behaviours and bad-inputs vectors`() = group { sharedCases(root) }
    @TestFactory @Order(9) fun `call-scenarios, page walks, transport, credentials chain`() = group { callTests(root) }
    @TestFactory @Order(10) fun `typed answers and the accessor`() = group { answerTests(root) }

    @AfterAll
    fun counts() {
        report("$passed passed, $failed failed")
        assertEquals(0, failed, "failed checks")
    }
}
